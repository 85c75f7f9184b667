"""Where the records are on a sheet made for printing: title, unit line, one- or two-level header,
then record rows mixed with blank rows, repeated headers, 合计/小计 rows and notes.

What each header means is decided in ``imports.headers``; this module only finds where the table is.

Only the first rows are looked at in Python; the row kinds below the header are polars expressions,
so a large sheet is classified in bulk.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import polars as pl
from ggzy.imports.base import Profile
from ggzy.imports.headers import (
    TRADE_EVENT,
    Context,
    Decision,
    SheetHeader,
    is_header,
    resolve_row,
    resolve_two_levels,
)
from ggzy.money import UNIT_ALIASES
from ggzy.vocab import Vocabulary, normalise_label, simplified, vocabulary

HEADER_SCAN_ROWS = 15
# '金额单位:万元', '单位：亿元', '（单位:元）'
_UNIT_LINE = re.compile(r"单位\s*[:：]\s*(亿元|万元|元)")
# the first words of a total row: '合计', '合 计', '本月合计', '小计', '总计', '共计'
TOTAL_PATTERN = r"^(?:本[月页期季年]|全年|累计)?(?:合计|总计|小计|共计)(?:$|[:：(（\d共])"
# a note under the table: '注:…', '注1.', '说明：…', '填表人：…', '审核人：', '制表：', '填报日期：'; a page footer
# printed into the sheet: '第1页，共2页', '共3页', '以下空白', '(此页无正文)'
NOTE_PATTERN = (r"^(?:注\s*\d*\s*[:：.．、]|备注\s*[:：]|说明\s*[:：]|附注|填表人|填报人|制表|审核|负责人|联系人|"
                r"联系电话|填报日期|填表日期|单位负责人|数据来源|第\d+页|共\d+页|以下空白|以下无正文|[(（]?此页无正文)")


@dataclass(frozen=True)
class Column:
    """One column of the table: its index in the grid, its header text and what it holds."""

    index: int
    text: str  # header text as shown; two-level headers join with '/': '金额(万元)/中标价'
    field: str | None
    unit: str | None
    compare: str | None = None  # an amount column not used, compared with the column holding this field


@dataclass
class Layout:
    header_row: int  # 0-based index of the (first) header row
    data_start: int  # 0-based index of the first row below the header
    columns: list[Column]
    title: str | None = None
    unit: str | None = None  # from a unit line such as '金额单位:万元'
    header: SheetHeader | None = None  # the decisions, with their reasons (imports.headers)
    # a money column no header, unit line or profile gives a unit to, whose amount cells all name one ('9.8万元')
    cell_units: dict[int, str] = field(default_factory=dict)

    def money_unit(self, column: Column, profile: Profile) -> str | None:
        """A money column's unit: its own header, else the sheet's unit line, else the profile."""
        return self.unit_and_origin(column, profile)[0]

    def unit_and_origin(self, column: Column, profile: Profile) -> tuple[str | None, str | None]:
        """(unit, where it came from): the column's own header (or group label, or unit row), the unit line
        above the header, the profile, or — for a column such as '中标价(报价承诺)' beside '中标价(元)' — the
        other column holding the same amount."""
        decision = next((d for d in self.header.decisions if d.index == column.index), None) if self.header else None
        if column.unit:
            return column.unit, (decision.unit_origin if decision and decision.unit_origin else "header")
        if self.unit:
            return self.unit, "unit line above the header"
        if profile.unit:
            return profile.unit, f"profile {profile.name}"
        if column.index in self.cell_units:
            return self.cell_units[column.index], f"cells (each amount ends in {self.cell_units[column.index]})"
        field = column.field or column.compare
        sibling = next((c for c in self.columns if field and (c.field or c.compare) == field and c.unit
                        and c.index != column.index), None)
        if sibling is not None:
            return sibling.unit, f"other {field} column {sibling.text}"
        return None, None


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


_DATE_LINE = re.compile(r"(?P<label>[^\s:：，,;；]{0,10}(?:日期|时间))\s*[:：]\s*"
                        r"(?P<date>\d{4}\s*[年./-]\s*\d{1,2}\s*[月./-]\s*\d{1,2}\s*日?)"
                        r"(?![0-9日])(?!\s*(?:至|到|—|–|~|～|-\s*\d))")  # a period (3月1日至31日) dates no trade


def date_line(rows: list[list[str | None]]) -> tuple[str, str] | None:
    """A line above the header dating the whole table by its trade ('拍卖日期：2013年6月18日', '开标时间:
    2024.3.5'): (label, date). A date of another event (填报日期, 公告日期) dates no trade: None."""
    for row in rows:
        for cell in row:
            match = _DATE_LINE.search(_text(cell))
            if match and TRADE_EVENT.search(match["label"]):
                return match["label"], re.sub(r"\s", "", match["date"])
    return None


def sheet_context(vocab: Vocabulary, sheet: str, title: str | None = None, file_name: str = "",
                  has_category_column: bool = False) -> Context:
    """The category a sheet's name, title line or file name names (in that order), if exactly one."""
    for origin, text in (("sheet name", sheet), ("title", title), ("file name", file_name)):
        if text and (found := vocab.in_text(simplified(text))):
            word = "" if normalise_label(text) == found[2] else f" ({found[2]})"
            return Context(found[0], f"{origin} {text!r}{word}", has_category_column, found[1])
    return Context(None, "", has_category_column)


def _decide(rows: list[list[str | None]], index: int, profile: Profile, context: Context
            ) -> tuple[list[Decision], bool]:
    """The decisions for a header at ``index`` and whether the next row was read as its second level."""
    top = list(rows[index])
    if index + 1 < len(rows):
        two = resolve_two_levels(top, list(rows[index + 1]), columns=profile.columns, context=context)
        if two is not None:
            return two, True
    return resolve_row(top, columns=profile.columns, context=context), False


def find_layout(rows: list[list[str | None]], profile: Profile, sheet: str = "", file_name: str = "",
                vocab: Vocabulary | None = None) -> Layout | None:
    """The layout of a sheet from its first rows, or None when no header row is found."""
    vocab = vocab or vocabulary()
    if profile.header_row is not None:
        candidates = [profile.header_row - 1] if profile.header_row - 1 < len(rows) else []
    else:
        candidates = list(range(min(HEADER_SCAN_ROWS, len(rows))))
    base = sheet_context(vocab, sheet, None, file_name)
    for index in candidates:
        decisions = resolve_row(list(rows[index]), columns=profile.columns, context=base)
        if not is_header(decisions) and profile.header_row is None:
            continue
        preamble = rows[:index]
        title = _title(preamble)
        has_category = any(d.field in ("category", "subcategory") for d in decisions)
        context = sheet_context(vocab, sheet, title, file_name, has_category)
        decisions, two_levels = _decide(rows, index, profile, context)
        data_start = index + 2 if two_levels else index + 1
        unit = unit_line([*preamble, rows[index]])
        columns = [Column(d.index, d.text, d.field, d.unit, d.compare) for d in decisions]
        unit_origin = None
        if unit is not None:
            unit_origin = f"unit line above the header ({unit})"
        header = SheetHeader(sheet, index + 1, data_start + 1, decisions, title, unit, unit_origin, context,
                             None if any(d.field == "trade_date" for d in decisions) else date_line(preamble))
        return Layout(index, data_start, columns, title, unit, header)
    return None


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
