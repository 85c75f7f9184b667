"""Where the records are on a sheet made for printing: title, unit line, one- or two-level header,
then record rows mixed with blank rows, repeated headers, 合计/小计 rows and notes.

Only the first rows are looked at in Python; the row kinds below the header are polars expressions,
so a large sheet is classified in bulk.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import polars as pl
from ggzy.imports.base import Profile
from ggzy.imports.normalize import HeaderCell, read_header
from ggzy.money import UNIT_ALIASES

HEADER_SCAN_ROWS = 15
KEY_FIELDS = {"project_code", "section_code", "deal", "name"}
# '金额单位:万元', '单位：亿元', '（单位:元）'
_UNIT_LINE = re.compile(r"单位\s*[:：]\s*(亿元|万元|元)")
# the first words of a total row: '合计', '合 计', '本月合计', '小计', '总计', '共计'
TOTAL_PATTERN = r"^(?:本[月页期季年]|全年|累计)?(?:合计|总计|小计|共计)(?:$|[:：(（\d共])"
# a note under the table: '注:…', '注1.', '说明：…', '填表人：…', '审核人：', '制表：', '填报日期：'
NOTE_PATTERN = (r"^(?:注\s*\d*\s*[:：.．、]|备注\s*[:：]|说明\s*[:：]|附注|填表人|填报人|制表|审核|负责人|联系人|"
                r"联系电话|填报日期|填表日期|单位负责人|数据来源)")


@dataclass(frozen=True)
class Column:
    """One column of the table: its index in the grid, its header text and what it holds."""

    index: int
    text: str  # header text as shown; two-level headers join with '/': '金额(万元)/中标价'
    field: str | None
    unit: str | None


@dataclass
class Layout:
    header_row: int  # 0-based index of the (first) header row
    data_start: int  # 0-based index of the first row below the header
    columns: list[Column]
    title: str | None = None
    unit: str | None = None  # from a unit line such as '金额单位:万元'

    def money_unit(self, column: Column, profile: Profile) -> str | None:
        """A money column's unit: its own header, else the sheet's unit line, else the profile."""
        return column.unit or self.unit or profile.unit


def _text(cell: str | None) -> str:
    return "" if cell is None else unicodedata.normalize("NFKC", str(cell)).strip()


def unit_line(rows: list[list[str | None]]) -> str | None:
    for row in rows:
        for cell in row:
            if cell and (match := _UNIT_LINE.search(_text(cell))):
                return UNIT_ALIASES[match[1]]
    return None


def _title(rows: list[list[str | None]]) -> str | None:
    """The first line above the header that holds a single text, unless it is only a unit line."""
    for row in rows:
        texts = [_text(c) for c in row if c is not None and _text(c)]
        if len(texts) == 1 and not _UNIT_LINE.fullmatch(re.sub(r"[()（）\s]", "", texts[0])):
            return texts[0]
    return None


def _is_header(cells: list[HeaderCell]) -> bool:
    fields = {c.field for c in cells if c.field}
    return len(fields) >= 2 and bool(fields & KEY_FIELDS)


def _sub_header(row: list[str | None], extra: dict[str, str]) -> list[HeaderCell] | None:
    """The row under a header, read as a second header level if every text in it names a field or a
    unit (a row of '(万元)' under the amount columns)."""
    cells = [read_header(c, extra) for c in row]
    texts = [c for c, value in zip(cells, row, strict=True) if value is not None and _text(value)]
    if texts and all(c.field or c.unit for c in texts):
        return cells
    return None


def find_layout(rows: list[list[str | None]], profile: Profile) -> Layout | None:
    """The layout of a sheet from its first rows, or None when no header row is found."""
    if profile.header_row is not None:
        candidates = [profile.header_row - 1] if profile.header_row - 1 < len(rows) else []
    else:
        candidates = list(range(min(HEADER_SCAN_ROWS, len(rows))))
    for index in candidates:
        top = [read_header(c, profile.columns) for c in rows[index]]
        if not _is_header(top) and profile.header_row is None:
            continue
        columns = [Column(i, c.text.strip(), c.field, c.unit) for i, c in enumerate(top)]
        data_start = index + 1
        if data_start < len(rows) and (sub := _sub_header(rows[data_start], profile.columns)):
            columns = _merge_levels(top, sub)
            data_start += 1
        preamble = rows[:index]
        return Layout(index, data_start, columns, _title(preamble), unit_line([*preamble, rows[index]]))
    return None


def _merge_levels(top: list[HeaderCell], sub: list[HeaderCell]) -> list[Column]:
    """Join a two-level header: '金额(万元)' merged over 预算价 / 中标价 gives each the unit 万元.

    A merged cell is read as its text in the first column and blanks in the others, so a group label
    extends right over blank top cells.
    """
    columns: list[Column] = []
    group: HeaderCell | None = None
    for index, (upper, lower) in enumerate(zip(top, sub, strict=False)):
        if upper.text.strip():
            group = upper
        if lower.unit and not lower.field:  # a unit row: '(万元)' under '中标价'
            columns.append(Column(index, f"{upper.text.strip()}({lower.unit})", upper.field, lower.unit))
        elif lower.text.strip() and lower.field:
            label = group.text.strip() if group is not None else ""
            text = f"{label}/{lower.text.strip()}" if label else lower.text.strip()
            columns.append(Column(index, text, lower.field, lower.unit or (group.unit if group else None)))
        else:
            columns.append(Column(index, upper.text.strip(), upper.field, upper.unit))
    return columns


def first_text(names: list[str]) -> pl.Expr:
    """The first non-empty cell of a row, without spaces (so '合  计' reads '合计')."""
    if not names:
        return pl.lit(None, pl.String)
    return pl.coalesce([pl.col(n) for n in names]).str.replace_all(r"[\s\u3000]+", "")


def blank_row(names: list[str]) -> pl.Expr:
    """True for a row with no text in it (empty cells, or cells holding only spaces)."""
    if not names:
        return pl.lit(True)
    return pl.concat_str([pl.col(n) for n in names], ignore_nulls=True).str.strip_chars() == ""


def filled_cells(names: list[str]) -> pl.Expr:
    """How many cells of a row are not empty."""
    if not names:
        return pl.lit(0)
    return pl.sum_horizontal([pl.col(n).is_not_null() for n in names])
