"""Cell text → typed values (dates, amounts in fen, counts), shared by the importers and by amendments typed on
the command line, so a value means the same wherever it is written. Each raises with a reason a user can act on."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from ggzy.money import MoneyError, decimal_to_fen, parse_decimal

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日(?:\s*\d{1,2}[:时]\d{2}.*)?$"),
    re.compile(r"^(\d{4})[./](\d{1,2})[./](\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(text: str) -> dt.date:
    """A trade date as people write it, or an Excel serial number. Raises ValueError with a reason."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    for pattern in _DATE_PATTERNS:
        if match := pattern.match(cleaned):
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                raise ValueError(f"date {text!r} does not exist") from None
    if re.fullmatch(r"\d{5}(\.\d+)?", cleaned):  # Excel serial: 44747 is 2022-07-05
        serial = int(float(cleaned))
        if 20000 <= serial <= 80000:
            return _EXCEL_EPOCH + dt.timedelta(days=serial)
    raise ValueError(f"date {text!r} is not a date: write 2022-07-05 or 2022年7月5日")


_UNIT_IN_CELL = re.compile(r"^(?P<number>.*?\d)\s*(?P<unit>亿元|万元|元|万|亿)$")
# a cell naming its own unit, as listings write it: "519.00万"
_CELL_UNITS = {"亿元": "亿元", "万元": "万元", "元": "元", "万": "万元", "亿": "亿元"}
# a price per year, ton or area written in an amount cell: '20万元/年', '10790元/吨', '850元/平方米'
_PER_QUANTITY = re.compile(r"^[\d,.\s]*\d\s*(?:亿元|万元|元|万|亿)\s*(?:/|每)\s*"
                           r"(?P<per>年|月|天|日|吨|亩|公顷|平方米|㎡|m2|立方米|延米|米|辆|个|台|次)")


def parse_money(text: str, unit: str) -> int:
    """Amount text in ``unit`` → fen; a cell that names its own unit ('595000.00元', '3.5万元') is read
    in that unit. Negative amounts are refused. Raises MoneyError."""
    try:
        value = parse_decimal(text)
    except MoneyError:
        match = _UNIT_IN_CELL.match(unicodedata.normalize("NFKC", text).strip())
        if match is None and (per := _PER_QUANTITY.match(unicodedata.normalize("NFKC", text).strip())):
            raise MoneyError(f"amount {text!r} is a price per {per['per']}, not the amount of the trade: write the "
                             "whole amount (the price times the years, tons or area)") from None
        if match is None:
            raise
        try:
            value = parse_decimal(match["number"])
        except MoneyError:
            raise MoneyError(f"amount {text!r} is not a number (free text is not an amount)") from None
        unit = _CELL_UNITS[match["unit"]]
    if value < 0:
        raise MoneyError(f"amount {text!r} is negative")
    return decimal_to_fen(value, unit)


def parse_count(text: str) -> int:
    """A whole number of bidders as written: '5', '５', '5家', '5 人'. Raises ValueError with a reason."""
    cleaned = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    match = re.fullmatch(r"(\d{1,9})(?:\.0+)?(?:家|人|个|名|户)?", cleaned)
    if match is None:
        raise ValueError(f"{text!r} is not a whole number (write e.g. 5)")
    return int(match[1])
