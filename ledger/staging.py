"""What a file's rows look like on their way into the ledger: the records an importer read from a sheet (a
polars frame, so a 200,000-row sheet is never 200,000 Python objects), the rows it could not read (``HeldRow``) and
the source's own 合计/小计 rows compared with the rows above them (``SourceTotal``). Importers produce them,
posting consumes them: they live in the ledger layer so the ledger never imports an importer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl


@dataclass
class HeldRow:
    """A source row that cannot become a record (or, after posting, one in conflict)."""

    sheet: str
    row: int  # 1-based row number as the spreadsheet shows it
    raw: dict[str, str | None]  # header text → cell text, exactly as read
    reasons: list[str]
    record: dict[str, Any] | None = None  # the parsed record, for conflicts
    key: tuple[str | None, str | None, str] | None = None  # (category, project code, section code) if known


@dataclass
class SourceTotal:
    """A 合计/小计 row of the source compared with the rows above it (one per money column)."""

    sheet: str
    row: int
    label: str  # the row's own words, e.g. '合计' or '本页小计'
    column: str  # header text of the money column
    unit: str
    stated: str  # the total as written
    rows_sum: str  # the sum of the amounts of the rows it covers, in the same unit (a quarantined row's
    #                amount counts when it could be read; one that could not, e.g. '约四百', cannot)
    difference: str  # stated − rows_sum
    record_rows: int  # rows it covers that were posted
    held_rows: int  # rows it covers that were quarantined
    status: str  # 'ok' | 'difference'

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class SheetExtract:
    """What an importer read from one sheet."""

    sheet: str
    records: pl.DataFrame  # valid records: ledger fields + source_sheet, source_row
    held: list[HeldRow] = field(default_factory=list)
    totals: list[SourceTotal] = field(default_factory=list)
    title: str | None = None  # the sheet's title line, e.g. '某市…2022年7月进场交易项目明细表'
    raw: Any = None  # callable: row number → raw cells (for rows found in conflict at posting)
    reading: Any = None  # what the importer made of the header (imports.explain.SheetReading), for notices
    columns: list[str] | None = None  # a name for every grid column, as raw cells are shown (kept with the batch)

    @property
    def rows(self) -> int:
        return self.records.height + len(self.held)
