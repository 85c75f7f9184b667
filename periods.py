"""Period strings → a list of months: 2022-09, 2022Q3, 2022H1, 2022, 2022-07..2022-09, and the forms people type
(DESIGN.md "Command line"): 2022-9, 2022.09, 2022/9, 202209, 2022年9月, 2022年三季度, 2022年1-9月, 2022年上半年,
2022年度, full-width digits included; a range joins two of them with `..`, 至 or 到."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ggzy.errors import UsageError

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}
_DASH = r"(?:-|—|–|~|至|到)"
#: (form, pattern matched against the whole text after NFKC normalisation and removal of spaces)
_TYPED: tuple[tuple[str, re.Pattern[str]], ...] = tuple((form, re.compile(pattern)) for form, pattern in (
    ("month", r"(\d{4})[-./](\d{1,2})"),
    ("month", r"(\d{4})(\d{2})"),
    ("month", r"(\d{4})年(\d{1,2})月份?"),
    ("months", rf"(\d{{4}})年(\d{{1,2}})(?:月份?)?{_DASH}(\d{{1,2}})月份?"),
    ("quarter", r"(\d{4})[Qq]([1-4])"),
    ("quarter", r"(\d{4})年第?([1-4一二三四])季度"),
    ("half", r"(\d{4})[Hh]([12])"),
    ("half", r"(\d{4})年(上|下)半年"),
    ("year", r"(\d{4})(?:年(?:度|全年)?)?"),
))
_RANGE = re.compile(r"\.\.|至|到")
FORMS = "2022-09, 2022Q3, 2022H1, 2022 or 2022-07..2022-09 (also 2022年9月, 2022.09, 202209, 2022年三季度, 2022年1-9月)"


@dataclass(frozen=True)
class Period:
    """A set of consecutive months, written as the user wrote it."""

    text: str
    months: tuple[str, ...]  # 'YYYY-MM', ascending

    def __str__(self) -> str:
        return self.text

    @property
    def canonical(self) -> str:
        """The period in the ledger's own form, whatever form it was typed in: 2022-07, 2022Q3, 2022H1, 2022 or
        2022-07..2022-09 (what JSON echoes: 202207 and 2022年7月 are both 2022-07)."""
        first, last = self.months[0], self.months[-1]
        year, month = int(first[:4]), int(first[5:])
        if first == last:
            return first
        if first[:4] == last[:4]:
            count = len(self.months)
            if count == 12:
                return first[:4]
            if count == 6 and month in (1, 7):
                return f"{year}H{1 if month == 1 else 2}"
            if count == 3 and month % 3 == 1:
                return f"{year}Q{month // 3 + 1}"
        return f"{first}..{last}"


def _month_range(first: tuple[int, int], last: tuple[int, int]) -> tuple[str, ...]:
    (y, m), months = first, []
    while (y, m) <= last:
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return tuple(months)


def _single(text: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The first and last month (year, month) of one period written in any accepted form; None if none fits."""
    for form, pattern in _TYPED:
        if not (m := pattern.fullmatch(text)):
            continue
        year = int(m[1])
        if form == "month":
            first = last = int(m[2])
        elif form == "months":
            first, last = int(m[2]), int(m[3])
        elif form == "quarter":
            quarter = _CN_DIGITS.get(m[2]) or int(m[2])
            first, last = 3 * quarter - 2, 3 * quarter
        elif form == "half":
            first, last = (1, 6) if m[2] in ("1", "上") else (7, 12)
        else:
            first, last = 1, 12
        return ((year, first), (year, last)) if 1 <= first <= last <= 12 else None
    return None


def parse_period(text: str) -> Period:
    """Parse a period; raise UsageError naming the accepted forms."""
    raw = str(text).strip()
    compact = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))
    parts = [compact]
    if _single(compact) is None:  # two periods joined: 2022-07..2022-09, 2022年7月至2022年9月
        parts = _RANGE.split(compact)
    bounds = [b for b in map(_single, parts) if b is not None]
    if len(parts) > 2 or len(bounds) != len(parts):
        month = re.fullmatch(r"\d{4}(?:-|\.|/|年)?(\d{1,2})(?:月份?)?", compact)
        if month and not 1 <= int(month[1]) <= 12:  # 2022-13, 2022年0月: a slip of the keyboard
            raise UsageError(f"period {text!r}: there is no month {int(month[1])} (a month is 1 to 12); write {FORMS}")
        raise UsageError(f"period {text!r} is not understood: write {FORMS}")
    first, last = bounds[0][0], bounds[-1][1]
    if first > last:
        raise UsageError(f"period {text!r} ends before it starts: write the earlier month first")
    return Period(raw, _month_range(first, last))


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
