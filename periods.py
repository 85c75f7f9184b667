"""Period strings: 2022-09, 2022Q3, 2022H1, 2022, 2022-07..2022-09 → a list of months."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ggzy.errors import UsageError

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
_HALF = re.compile(r"^(\d{4})[Hh]([12])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    """A set of consecutive months, written as the user wrote it."""

    text: str
    months: tuple[str, ...]  # 'YYYY-MM', ascending

    def __str__(self) -> str:
        return self.text


def _month_range(first: tuple[int, int], last: tuple[int, int]) -> tuple[str, ...]:
    (y, m), months = first, []
    while (y, m) <= last:
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return tuple(months)


def _single(text: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        return ((year, month), (year, month)) if 1 <= month <= 12 else None
    if m := _QUARTER.match(text):
        year, q = int(m[1]), int(m[2])
        return (year, 3 * q - 2), (year, 3 * q)
    if m := _HALF.match(text):
        year, h = int(m[1]), int(m[2])
        return (year, 6 * h - 5), (year, 6 * h)
    if m := _YEAR.match(text):
        return (int(m[1]), 1), (int(m[1]), 12)
    return None


def parse_period(text: str) -> Period:
    """Parse a period; raise UsageError naming the accepted forms."""
    raw = str(text).strip()
    parts = raw.split("..")
    bounds = [b for b in (_single(p.strip()) for p in parts) if b is not None]
    if len(parts) > 2 or len(bounds) != len(parts):
        raise UsageError(
            f"period {text!r} is not understood: write 2022-09, 2022Q3, 2022H1, 2022 or 2022-07..2022-09"
        )
    first, last = bounds[0][0], bounds[-1][1]
    if first > last:
        raise UsageError(f"period {text!r} ends before it starts: write the earlier month first")
    return Period(raw, _month_range(first, last))


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}
_TITLE_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*(?:月份?)?\s*(?:-|—|～|~|至|到)\s*(\d{1,2})\s*月"), "months"),
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月"), "month"),
    (re.compile(r"(\d{4})\s*年\s*(?:第\s*)?([1-4一二三四])\s*季度"), "quarter"),
    (re.compile(r"(\d{4})\s*年\s*(上|下)半年"), "half"),
    (re.compile(r"(\d{4})\s*年(?:度|全年)?"), "year"),
)


def title_months(title: str | None) -> tuple[int, int] | None:
    """The months a file's title names (``…2022年7月进场交易明细``, ``2022年第三季度…``, ``2022年1-3月…``),
    as month numbers ``year * 12 + month - 1`` (first, last); None when the title names no period."""
    for pattern, form in _TITLE_FORMS:
        if not title or not (m := pattern.search(title)):
            continue
        year = int(m[1])
        if form == "months":
            first, last = int(m[2]), int(m[3])
        elif form == "month":
            first = last = int(m[2])
        elif form == "quarter":
            quarter = _CN_DIGITS.get(m[2]) or int(m[2])
            first, last = 3 * quarter - 2, 3 * quarter
        elif form == "half":
            first, last = (1, 6) if m[2] == "上" else (7, 12)
        else:
            first, last = 1, 12
        if 1 <= first <= last <= 12:
            return year * 12 + first - 1, year * 12 + last - 1
        return None
    return None
