"""How numbers are shown: money of records in 元 (exact Decimal from fen), rates as ratios formatted as %,
published figures in their own unit and precision. One place for the workbook, the HTML report and the web view.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

RECORD_UNIT = "元"
MONEY_FORMAT = "#,##0.00"
RATE_FORMAT = "0.00%"


def yuan(fen: int | None) -> Decimal | None:
    """Fen as 元, exactly (two decimals)."""
    return None if fen is None else Decimal(int(fen)) / 100


def plain(value: Any, kind: str) -> Any:
    """A value in ledger terms as a report cell holds it: money in 元 (Decimal), a rate as a float ratio
    (Excel's % format multiplies by 100), dates as ISO text, the rest as it is."""
    if value is None:
        return None
    if kind in ("money", "excess_money"):
        return yuan(value)
    if kind == "rate":
        return float(value) if isinstance(value, Fraction | Decimal | int | float) else value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def excel_format(kind: str) -> str | None:
    return {"money": MONEY_FORMAT, "rate": RATE_FORMAT}.get(kind)


def shown(value: Any, kind: str = "") -> str:
    """A cell as text (HTML, web, terminal): 1,234.56 for money in 元, 12.34% for a rate, — for nothing."""
    if value is None:
        return "—"
    if kind == "money":
        return f"{yuan(value):,.2f}"
    if kind == "rate" and isinstance(value, int | float | Fraction | Decimal):
        return f"{float(value) * 100:.2f}%"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@dataclass
class FigureNumbers:
    """A reconciliation result's values as numbers in the figure's unit (percent points for a rate)."""

    published: Decimal
    ledger: Decimal | None
    difference: Decimal | None  # ledger − published
    low: Decimal
    high: Decimal
    places: int  # decimals the figure was published with
    unit: str  # 亿元, 万元, 元, % or '' (a count)

    @property
    def shown_places(self) -> int:
        """Ledger values and differences get two decimals more than the figure (enough to see them against
        its interval); a count has none."""
        return self.places + 2 if self.unit or self.places else 0


def _decimal(text: str | None) -> Decimal | None:
    if text is None or text == "":
        return None
    return Decimal(str(text).replace(",", "").rstrip("%+"))


def figure_numbers(result: dict[str, Any]) -> FigureNumbers:
    published = str(result["published"]).replace(",", "").rstrip("%+")
    places = len(published.partition(".")[2])
    ledger = _decimal(result.get("ledger"))
    difference = _decimal(result.get("difference"))
    return FigureNumbers(Decimal(published), ledger, difference, _decimal(result["low"]) or Decimal(0),
                         _decimal(result["high"]) or Decimal(0), places, result.get("unit") or "")


def decimal_format(places: int, signed: bool = False) -> str:
    """Excel number format with ``places`` decimals; ``signed`` shows + on a positive difference."""
    body = "#,##0" + ("." + "0" * places if places else "")
    return f"+{body};-{body};0" if signed else body


def decimal_text(value: Decimal | None, places: int, signed: bool = False) -> str:
    if value is None:
        return "—"
    text = f"{value:,.{places}f}"
    return f"+{text}" if signed and value > 0 else text


def money_text(fen: int | None, unit: str) -> str:
    """Fen in ``unit``, exact, with at least two decimals: 518400000 fen → '518.40' 万元."""
    if fen is None:
        return "—"
    from ggzy.money import fen_to_decimal

    value = fen_to_decimal(int(fen), unit)
    exponent = value.as_tuple().exponent  # an int for a finite Decimal, as fen always are
    places = -exponent if isinstance(exponent, int) else 0
    return format(value if places >= 2 else value.quantize(Decimal("0.01")), ",f")
