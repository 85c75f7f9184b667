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
    bounds = [_single(p.strip()) for p in parts]
    if len(parts) > 2 or any(b is None for b in bounds):
        raise UsageError(
            f"period {text!r} is not understood: write 2022-09, 2022Q3, 2022H1, 2022 or 2022-07..2022-09"
        )
    first, last = bounds[0][0], bounds[-1][1]  # type: ignore[index]
    if first > last:
        raise UsageError(f"period {text!r} ends before it starts: write the earlier month first")
    return Period(raw, _month_range(first, last))
