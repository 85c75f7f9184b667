"""Money as integer fen (分): exact conversion from 元/万元/亿元 text and back.

No float ever holds money here: amounts arrive as text (cells are read as strings) and go
through Decimal; a value with more precision than one fen is refused, never rounded.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from fractions import Fraction

#: fen per unit. Keys are the units accepted everywhere (inputs, --unit, published files).
FEN_PER_UNIT: dict[str, int] = {"分": 1, "元": 100, "万元": 1_000_000, "亿元": 10_000_000_000}
UNIT_ALIASES: dict[str, str] = {
    "元": "元", "yuan": "元", "万元": "万元", "万": "万元", "wan": "万元", "亿元": "亿元", "亿": "亿元",
    "yi": "亿元", "分": "分",
}


class MoneyError(ValueError):
    """A text that cannot be an amount of money; the message says why, for a quarantine reason."""


def canonical_unit(text: str) -> str:
    """'万' / '万元' / 'wan' → '万元'; raise MoneyError for anything else."""
    unit = UNIT_ALIASES.get(text.strip().lower()) if text else None
    if unit is None:
        raise MoneyError(f"unknown money unit {text!r}: use 元, 万元 or 亿元")
    return unit


_PERCENT = re.compile(r"^[+-]?\d[\d,]*(\.\d*)?%$")
_NUMERIC = re.compile(r"^[+-]?[\d,]*\.?\d*(?:[eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def parse_decimal(text: str) -> Decimal:
    """Parse a number as written by people: full-width digits, thousands separators, spaces.

    Raises MoneyError with a reason an accountant can act on.
    """
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if not cleaned:
        raise MoneyError("empty amount")
    if _PERCENT.match(cleaned):
        raise MoneyError(f"amount {text!r} is a percentage (e.g. a discount rate), not money")
    if cleaned.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        raise MoneyError(f"amount {text!r} is not a finite number")
    if not _NUMERIC.match(cleaned):
        if "%" in cleaned:
            raise MoneyError(f"amount {text!r} is free text with a percentage (e.g. a discount rate), not money")
        raise MoneyError(f"amount {text!r} is not a number (free text is not an amount)")
    if "," in cleaned:
        if not _THOUSANDS.match(cleaned):
            raise MoneyError(f"amount {text!r} has misplaced thousands separators")
        cleaned = cleaned.replace(",", "")
    if cleaned.endswith("%"):
        raise MoneyError(f"amount {text!r} is a percentage (e.g. a discount rate), not money")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise MoneyError(f"amount {text!r} is not a number (free text is not an amount)") from None
    if not value.is_finite():
        raise MoneyError(f"amount {text!r} is not a finite number")
    return value


def decimal_to_fen(value: Decimal, unit: str) -> int:
    """Exact conversion of a Decimal in ``unit`` to integer fen; sub-fen precision is an error."""
    fen = value * FEN_PER_UNIT[canonical_unit(unit)]
    if fen != fen.to_integral_value():
        raise MoneyError(f"amount {value} {unit} is finer than one fen (分); check the unit")
    return int(fen)


def to_fen(text: str | int | Decimal, unit: str = "元") -> int:
    """'3,063.40' 万元 → 30634000000 fen. Raises MoneyError."""
    value = text if isinstance(text, Decimal) else parse_decimal(str(text))
    return decimal_to_fen(value, unit)


def fen_to_decimal(fen: int, unit: str) -> Decimal:
    """Exact value of ``fen`` in ``unit`` (no rounding)."""
    return Decimal(fen) / FEN_PER_UNIT[canonical_unit(unit)]


def trimmed_amount(value: Decimal | str) -> str:
    """An exact amount with two places at least and no trailing zeros beyond — the same value, as an accountant
    writes it: 38662.100000 万元 → '38662.10', 144.500000 → '144.50'; '' stays ''."""
    text = value if isinstance(value, str) else format(value, "f")
    if not text:
        return text
    whole, _, places = text.partition(".")
    return f"{whole}.{places.rstrip('0').ljust(2, '0')}"


def format_fen(fen: int | None, unit: str = "万元", places: int = 2) -> str:
    """Display an amount in ``unit`` rounded half-up to ``places`` decimals; None → '—'."""
    if fen is None:
        return "—"
    quantum = Decimal(1).scaleb(-places)
    return format(fen_to_decimal(fen, unit).quantize(quantum, rounding="ROUND_HALF_UP"), "f")


def fraction_str(value: Fraction, places: int) -> str:
    """An exact Fraction shown with ``places`` decimals (half-up), without passing through a float."""
    quantum = Decimal(1).scaleb(-places)
    shown = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(quantum, rounding="ROUND_HALF_UP")
    return format(shown, "f")
