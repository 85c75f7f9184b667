"""The tabular importer: .xlsx and .csv sheets with a header, as centres make them for printing.

Per sheet: find the layout in the first rows (title, unit line, one- or two-level header), tell record
rows from blank rows, repeated headers, 合计/小计 rows and notes, build records in bulk, and check each
合计/小计 row against the rows it sums.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import polars as pl
from ggzy.errors import InputError
from ggzy.imports.base import Profile
from ggzy.imports.convert import build_records, with_reasons
from ggzy.imports.derived import check_compared, check_derived
from ggzy.imports.explain import (
    SheetReading,
    best_header_row,
    missing_fields_message,
    money_units,
    no_header_message,
)
from ggzy.imports.layout import (
    HEADER_SCAN_ROWS,
    NOTE_PATTERN,
    TOTAL_PATTERN,
    Column,
    Layout,
    blank_row,
    filled_cells,
    find_layout,
    first_text,
)
from ggzy.imports.normalize import MONEY_COLUMNS
from ggzy.imports.sheets import WORKBOOK_SUFFIXES, Sheet, read_sheets
from ggzy.ledger.models import RECORD_FIELDS
from ggzy.ledger.staging import HeldRow, SheetExtract, SourceTotal
from ggzy.money import FEN_PER_UNIT, MoneyError, fen_to_decimal, parse_decimal
from ggzy.values import parse_money
from ggzy.vocab import Vocabulary, vocabulary

RECORD_COLUMNS = [*RECORD_FIELDS, "period", "source_sheet", "source_row"]


def header_texts(sheet: Sheet, layout: Layout) -> list[str]:
    """A name for every grid column, as the raw cells of a held row are shown: header text or 'column N'."""
    names: list[str] = []
    by_index = {c.index: c.text for c in layout.columns}
    for index in range(sheet.grid.width):
        name = by_index.get(index) or f"column {index + 1}"
        while name in names:
            name += "'"
        names.append(name)
    return names


_CELL_UNIT = r"^[\d,，.\s]*\d\s*(亿元|万元|元|万|亿)$"


def units_in_cells(sheet: Sheet, layout: Layout) -> dict[int, str]:
    """The unit of each money column whose header gives none but whose amounts name one ('350,000.00元', '9.8万元':
    a cell that names its unit is read in it, values.parse_money) — the most common, for its totals. One bare
    number makes the column need a unit still; other text ('20万元/年', '流拍') is the money parser's to judge."""
    found: dict[int, str] = {}
    for column in layout.columns:
        if column.unit is not None or not (column.field in MONEY_COLUMNS or column.field in ("savings", "premium")):
            continue
        cells = (sheet.grid.slice(layout.data_start).get_column(f"c{column.index}").str.strip_chars()
                 .str.replace_all(r"\s", ""))
        if cells.str.contains(r"^[-+]?[\d,，.]*\d[\d,，.]*$").any():
            continue  # a bare number: its unit is not said
        units = cells.str.extract(_CELL_UNIT, 1).replace({"万": "万元", "亿": "亿元"}).drop_nulls()
        if units.len():
            found[column.index] = str(units.mode().sort()[0])
    return found


def holds_no_table(sheet: Sheet) -> bool:
    """A sheet of prose (a cover, a 说明 sheet): no line holds more than two cells and no cell is a bare number,
    so no row of it can be a record — such a sheet beside the tables is skipped, not an error."""
    names = sheet.grid.columns
    if sheet.grid.select(filled_cells(names).max()).item() > 2:
        return False
    number = pl.any_horizontal([pl.col(n).str.strip_chars().str.contains(r"^[-+]?[\d,，.]+$").fill_null(False)
                                for n in names])
    return not sheet.grid.select(number.any()).item()


def row_kinds(grid: pl.DataFrame, layout: Layout) -> pl.Expr:
    """'blank' | 'total' | 'note' | 'header' (a header repeated on a new page) | 'record'."""
    names = grid.columns
    first, filled = first_text(names), filled_cells(names)
    blank = blank_row(names)
    named = [c for c in layout.columns if c.field and c.text]
    repeats = pl.sum_horizontal([(pl.col(f"c{c.index}").str.strip_chars() == c.text.split("/")[-1]).fill_null(False)
                                 for c in named]) if named else pl.lit(0)
    return (pl.when(blank).then(pl.lit("blank"))
            .when(first.str.contains(TOTAL_PATTERN)).then(pl.lit("total"))
            .when(first.str.contains(NOTE_PATTERN) & (filled <= 4)).then(pl.lit("note"))
            # a sentence alone on its line ('全年共组织采购活动153批次，完成采购预算…'): a note, not a record
            .when((filled == 1) & (first.str.len_chars() >= 20) & first.str.contains("[，。；]")).then(pl.lit("note"))
            .when(repeats >= 2).then(pl.lit("header"))
            .otherwise(pl.lit("record")))


def apply_merges(data: pl.DataFrame, sheet: Sheet, layout: Layout) -> pl.DataFrame:
    """Cells merged down over several record rows: a label (category, region, project code, date …) holds
    for every row it spans, so it is filled in; an amount cannot be split, so those rows are held.
    Adds ``_merge_reason``."""
    fills: dict[int, dict[int, str]] = {}
    reasons: dict[int, str] = {}
    fields = {c.index: c for c in layout.columns}
    for merge in sheet.merges:
        if merge.first_row < layout.data_start or merge.last_row == merge.first_row:
            continue  # the title, the header, or a merge across one row only
        top = sheet.grid.row(merge.first_row)[merge.first_column] if merge.first_column < sheet.grid.width else None
        column = fields.get(merge.first_column)
        if column is not None and column.field in MONEY_COLUMNS:
            why = (f"amount cell {column.text} is merged over rows {merge.first_row + 1}–{merge.last_row + 1}: one "
                   "amount for several rows cannot be split; give each row its own amount")
            reasons.update(dict.fromkeys(range(merge.first_row + 1, merge.last_row + 2), why))
        elif top is not None:
            fills.setdefault(merge.first_column, {}).update(
                dict.fromkeys(range(merge.first_row + 2, merge.last_row + 2), top))
    for index, values in fills.items():
        filled = data.select("row").join(pl.DataFrame({"row": list(values), "_fill": list(values.values())},
                                                       schema={"row": pl.Int64, "_fill": pl.String}),
                                         on="row", how="left", maintain_order="left")["_fill"]
        data = data.with_columns(pl.coalesce(pl.col(f"c{index}"), filled).alias(f"c{index}"))
    merged = pl.DataFrame({"row": list(reasons), "_merge_reason": list(reasons.values())},
                          schema={"row": pl.Int64, "_merge_reason": pl.String})
    return data.with_columns(data.select("row").join(merged, on="row", how="left", maintain_order="left")
                             ["_merge_reason"])


class TableImporter:
    """Reads every sheet that has a header; the layouts accountants receive."""

    name = "table"

    def __init__(self, vocab: Vocabulary | None = None) -> None:
        self._vocab = vocab  # None: the shipped vocabulary with the user's ggzy.d/ files, read at each import

    @property
    def vocab(self) -> Vocabulary:
        return self._vocab or vocabulary()

    def identify(self, path: Path) -> bool:
        return path.suffix.lower() in (*WORKBOOK_SUFFIXES, ".csv")

    def extract(self, path: Path, profile: Profile) -> Iterator[SheetExtract]:
        fixed_category = self._profile_category(profile)
        prose: list[Sheet] = []  # sheets of a few lines of text beside the tables: a cover, a 说明 sheet
        empty: list[str] = []
        read = 0
        for sheet in read_sheets(path, profile.sheets):
            if sheet.grid.height == 0 or sheet.grid.select(blank_row(sheet.grid.columns).all()).item():
                empty.append(sheet.name)
                continue  # an empty sheet holds no rows
            if profile.header_row is None and holds_no_table(sheet) and self.locate(path, sheet, profile) is None:
                prose.append(sheet)
                continue
            read += 1
            yield self._extract_sheet(path, sheet, profile, fixed_category)
        if prose and not read:  # a workbook of prose alone: say why nothing was read
            raise InputError(no_header_message(path, prose[0], profile))
        if not read:  # every sheet blank (a template saved before it was filled in, the wrong file)
            which = ("it holds no rows" if path.suffix.lower() == ".csv" else f"sheet {empty[0]} is empty"
                     if len(empty) == 1 else f"its sheets ({', '.join(empty)}) are empty")
            raise InputError(f"{path}: {which}: nothing to import; check that this is the file with the "
                             "month's records (saved after they were filled in)")

    def _profile_category(self, profile: Profile) -> str | None:
        if profile.category is None:
            return None
        category = self.vocab.category(profile.category)
        if category is None:
            raise InputError(f"{profile.source}: unknown category {profile.category!r}; "
                             f"use one of {', '.join(self.vocab.category_labels.values())}")
        return category

    def read_headers(self, path: Path, profile: Profile) -> Iterator[SheetReading]:
        """What each sheet's header says, without reading its records: for --explain and profile suggest."""
        for sheet in read_sheets(path, profile.sheets):
            if sheet.grid.height == 0 or sheet.grid.select(blank_row(sheet.grid.columns).all()).item():
                continue
            layout = self.locate(path, sheet, profile)
            if layout is None and profile.header_row is None and holds_no_table(sheet):
                continue  # a cover or 说明 sheet: import skips it too
            if layout is None or layout.header is None:
                yield SheetReading(path.name, sheet.name, None, best_guess=best_header_row(sheet, profile))
            else:
                yield SheetReading(path.name, sheet.name, layout.header, money_units(layout, profile))

    def locate(self, path: Path, sheet: Sheet, profile: Profile) -> Layout | None:
        """Where the table of a sheet is and what its headers mean (header rows only: never per cell)."""
        head = sheet.grid.head(max(HEADER_SCAN_ROWS, (profile.header_row or 0)) + 2).rows()
        layout = find_layout([list(r) for r in head], profile, sheet.name, path.name, self.vocab)
        if layout is not None and layout.unit is None and profile.unit is None:
            layout.cell_units = units_in_cells(sheet, layout)
        return layout

    def _extract_sheet(self, path: Path, sheet: Sheet, profile: Profile, fixed_category: str | None) -> SheetExtract:
        layout = self.locate(path, sheet, profile)
        if layout is None:
            raise InputError(no_header_message(path, sheet, profile))
        if layout.header is not None and (missing := layout.header.missing()):
            raise InputError(missing_fields_message(path, layout.header, missing))
        units = self._units(path, sheet.name, layout, profile)
        data = (sheet.grid.slice(layout.data_start)
                .with_row_index("row", offset=layout.data_start + 1)
                .with_columns(pl.col("row").cast(pl.Int64)))
        data = apply_merges(data, sheet, layout).with_columns(_kind=row_kinds(sheet.grid, layout))
        context = layout.header.context if layout.header is not None else None
        columns = layout.columns
        if layout.header is not None and layout.header.date_line is not None:  # every row is dated by that line
            label, date = layout.header.date_line
            dated = Column(sheet.grid.width, label, "trade_date", None)
            data, columns = data.with_columns(pl.lit(date).alias(f"c{dated.index}")), [*columns, dated]
        built = build_records(data.filter(pl.col("_kind") == "record").drop("_kind"), columns, units,
                              sheet.name, self.vocab, fixed_category,
                              (context.category, context.subcategory) if context and context.category else None)
        valid = built.filter(~pl.col("_bad"))
        names = header_texts(sheet, layout)
        held = [HeldRow(sheet.name, row["row"], dict(zip(names, (row[f"c{i}"] for i in range(len(names))),
                                                         strict=True)), row["reasons"],
                        key=(row["category"], row["project_code"], row["section_code"]))
                for row in with_reasons(built.filter(pl.col("_bad"))).iter_rows(named=True)]
        totals = self._check_totals(sheet.name, data.filter(pl.col("_kind") == "total"), built, layout, units)
        totals += check_derived(sheet.name, built, layout.columns, units)
        totals += check_compared(sheet.name, built, layout.columns, units)

        def raw(row_number: int) -> dict[str, str | None]:
            return dict(zip(names, sheet.grid.row(row_number - 1), strict=True))

        reading = SheetReading(path.name, sheet.name, layout.header,
                               money_units(layout, profile) if layout.header else {})
        return SheetExtract(sheet.name, valid.select(RECORD_COLUMNS), held, totals, layout.title, raw, reading, names)

    @staticmethod
    def _units(path: Path, sheet: str, layout: Layout, profile: Profile) -> dict[int, str]:
        units: dict[int, str] = {}
        for column in layout.columns:
            if column.field in MONEY_COLUMNS or column.field in ("savings", "premium"):
                unit = layout.money_unit(column, profile)
                if unit is None:
                    raise InputError(f"{path}, sheet {sheet}: column {column.text!r} has no money unit; write it as "
                                     f"{column.text}(元) or (万元), add a line 金额单位:万元 above the header, or give "
                                     "--profile with unit:")
                units[column.index] = unit
            elif column.compare and (unit := layout.money_unit(column, profile)) is not None:
                units[column.index] = unit  # a column compared with the one holding its amount
        return units

    @staticmethod
    def _check_totals(sheet: str, total_rows: pl.DataFrame, built: pl.DataFrame, layout: Layout,
                      units: dict[int, str]) -> list[SourceTotal]:
        """Each 合计/小计 row against the record rows above it: a 小计 covers the rows since the previous
        total row, a 合计 those since the previous 合计. A total printed above its rows (a 合计 right under
        the header) covers the rows below it, up to the next total row."""
        if total_rows.height == 0:
            return []
        # a column of a tie (two columns holding one amount) is summed from its own cells, any other from the amount
        own = [c for c in built.columns if c.startswith("_fen")]
        records = built.select("row", *MONEY_COLUMNS.values(), *own, "_bad").sort("row")
        rows = records["row"]
        checks: list[SourceTotal] = []
        grand_start = sub_start = 0  # index into `records` where the current 合计 / 小计 group begins
        money = [c for c in layout.columns if c.field in MONEY_COLUMNS]
        for total in total_rows.iter_rows(named=True):
            end = int(rows.search_sorted(total["row"]))
            label = next((str(total[f"c{i}"]).strip() for i in range(total_rows.width)
                          if f"c{i}" in total and total[f"c{i}"] and str(total[f"c{i}"]).strip()), "")
            start = sub_start if "小计" in label.replace(" ", "") else grand_start
            covered = records.slice(start, end - start)
            if covered.height == 0:  # nothing above it: a total at the top of its rows
                later = [r for r in total_rows["row"].to_list() if r > total["row"]]
                stop = int(rows.search_sorted(later[0])) if later else records.height
                covered = records.slice(end, stop - end)
            for column in money:
                stated_text = total.get(f"c{column.index}")
                summed = f"_fen{column.index}" if f"_fen{column.index}" in own else MONEY_COLUMNS[str(column.field)]
                check = _total_check(sheet, total["row"], label, column, units[column.index], stated_text,
                                     covered, summed)
                if check is not None:
                    checks.append(check)
            sub_start = end
            if "小计" not in label.replace(" ", ""):
                grand_start = end
        return checks


def _total_check(sheet: str, row: int, label: str, column: Column, unit: str, stated_text: str | None,
                 covered: pl.DataFrame, fen_column: str) -> SourceTotal | None:
    if stated_text is None or not str(stated_text).strip():
        return None
    try:
        stated = parse_decimal(str(stated_text))
    except MoneyError:
        try:  # a total that names its unit ('3,520,000.00元'), as its column's cells do
            stated = fen_to_decimal(parse_money(str(stated_text), unit), unit)
        except MoneyError:
            return None  # a total cell holding words ('—', '见附表') states nothing to check
    places = len(str(FEN_PER_UNIT[unit])) - 1
    exponent = stated.as_tuple().exponent
    written = max(0, -exponent) if isinstance(exponent, int) else 0
    # a total written as 12345.68 stands for [12345.675, 12345.685); a float artefact finer than a fen
    # (0.30000000000000004) is read at one-fen precision
    tolerance = Decimal(5).scaleb(-min(written, places) - 1)
    rows_sum = fen_to_decimal(int(covered[fen_column].fill_null(0).sum()), unit)
    difference = stated - rows_sum
    held = int(covered["_bad"].sum())
    fen = Decimal(1).scaleb(-places)  # sums and differences shown to the fen, in the column's unit
    return SourceTotal(sheet, row, label, column.text, unit, str(stated_text).strip(),
                      format(rows_sum.quantize(fen), "f"), format(difference.quantize(fen), "f"),
                      covered.height - held, held,
                      "ok" if abs(difference) <= tolerance else "difference")
