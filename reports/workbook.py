"""The auditor's exception workbook (openpyxl, write-only mode: rows stream to disk, so 100,000 exception
rows cost seconds, not minutes): summary, discrepancies (each with a sheet breaking its ledger side down and
listing its records), rate tables with native Excel charts, failed expectations with their evidence, the
period's amendments, source totals that differ and quarantined rows — each row traceable to its source file,
sheet and row, with columns for the reviewer's sign-off. Numbers are numbers (Excel can sum them), formatted
in their unit and precision.

Text from records is always written as text: a value starting with = never becomes a formula (cells
starting with + - @ are text in the file format already), and characters a workbook cannot hold are
replaced, not fatal.
"""

from __future__ import annotations

import json
import os
import tempfile
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from ggzy.errors import InputError
from ggzy.reports.assemble import ReportData
from ggzy.reports.labels import LABELS
from ggzy.reports.numbers import MONEY_FORMAT, RATE_FORMAT, decimal_format
from ggzy.reports.rate_tables import RateTables
from ggzy.reports.tables import (
    Num,
    Table,
    amendments_table,
    breakdown_table,
    consistency_table,
    evidence_table,
    quarantine_table,
    rate_table,
    records_table,
    results_table,
    summary_table,
    totals_table,
)
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BAD_FILL = PatternFill("solid", fgColor="F8CBAD")
KIND_FORMATS = {"money": MONEY_FORMAT, "wan": MONEY_FORMAT, "unit": MONEY_FORMAT, "rate": RATE_FORMAT,
                "decimal": "0.00"}
WIDTH_SAMPLE = 2000  # rows looked at to size columns (write-only sheets are sized before their rows)


def _text(value: Any) -> Any:
    """Cell value: numbers stay numbers, everything else becomes plain text a workbook can hold."""
    if value is None or (isinstance(value, int | float | Decimal) and not isinstance(value, bool)):
        return value
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _shown_width(value: Any) -> int:
    if isinstance(value, Num):
        return len(f"{value.value:,.{value.places}f}") + 1 if value.value is not None else 1
    shown = _text(value)
    if isinstance(shown, str):
        return min(_display_width(shown), 60)
    return len(f"{shown:,.2f}") if isinstance(shown, Decimal | float) else len(str(shown)) if shown is not None else 1


class _Sheet:
    """A write-only sheet: widths and frozen header decided before the rows stream out."""

    def __init__(self, wb: Workbook, name: str) -> None:
        self.wb, self.ws = wb, wb.create_sheet(name[:31])
        self.row = 0
        self.sized = False

    def _cell(self, value: Any, number_format: str | None = None, bold: bool = False, bad: bool = False) -> Any:
        if isinstance(value, Num):
            number_format = decimal_format(value.places, value.signed)
            value = value.value
        value = _text(value)
        if not bold and not bad and number_format is None and not (isinstance(value, str) and value.startswith("=")):
            return value  # a plain value: no cell object needed (fast for 100,000 rows)
        cell = WriteOnlyCell(self.ws, value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        if number_format and value is not None:
            cell.number_format = number_format
        if bold:
            cell.font, cell.fill, cell.alignment = Font(bold=True), HEADER_FILL, Alignment(vertical="center")
        elif bad:
            cell.fill = BAD_FILL
        return cell

    def size(self, tables: list[Table]) -> None:
        """Column widths from the headers and the first rows of every table the sheet will hold."""
        widths: dict[int, int] = {}
        for table in tables:
            for index, label in enumerate(table.header):
                widths[index] = max(widths.get(index, 0), _display_width(label))
            for values in table.rows[:WIDTH_SAMPLE]:
                for index, value in enumerate(values):
                    widths[index] = max(widths.get(index, 0), _shown_width(value))
        for index, width in widths.items():
            self.ws.column_dimensions[get_column_letter(index + 1)].width = width + 2
        self.sized = True

    def line(self, text: str, bold: bool = True) -> None:
        self.ws.append([self._cell(text, bold=bold)])
        self.row += 1

    def table(self, table: Table, *, freeze: bool = True) -> int:
        """Write the table's title and note lines, a bold header (frozen for a sheet's first table) and the
        rows; returns the header's row number."""
        if not self.sized:
            self.size([table])
        if table.title is not None:
            self.line(table.title)
        if table.note is not None:
            self.line(table.note, bold=False)
        if table.title is not None or table.note is not None:
            self.ws.append([])
            self.row += 1
        if freeze:
            self.ws.freeze_panes = f"A{self.row + 2}"
        self.ws.append([self._cell(h, bold=True) for h in table.header])
        self.row += 1
        header_row = self.row
        formats = [KIND_FORMATS.get(c.kind) for c in table.columns]
        for index, values in enumerate(table.rows):
            end = len(values)
            while end and values[end - 1] is None:  # empty trailing cells (the sign-off columns) cost time
                end -= 1
            bad = index < len(table.bad) and table.bad[index]
            self.ws.append([self._cell(v, formats[i], bad=bad and i == 0) for i, v in enumerate(values[:end])])
        self.row += len(table.rows)
        return header_row

    def gap(self) -> None:
        self.ws.append([])
        self.row += 1


def _rate_sheet(wb: Workbook, name: str, table: Table, chart_title: str | None, groups: int) -> None:
    sheet = _Sheet(wb, name)
    top = sheet.table(table)
    rates = [i for i, c in enumerate(table.columns, start=1) if c.kind == "rate"]
    if chart_title and rates and groups:
        chart = BarChart()
        chart.title, chart.y_axis.title = chart_title, "%"
        chart.y_axis.numFmt = "0%"
        last = top + groups  # the groups, not the total row
        for column in rates:
            chart.add_data(Reference(sheet.ws, min_col=column, min_row=top, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(sheet.ws, min_col=1, min_row=top + 1, max_row=last))
        chart.width, chart.height = 18, 9
        sheet.ws.add_chart(chart, f"B{last + 4}")


def _monthly_sheet(wb: Workbook, rates: RateTables, t: dict[str, str]) -> None:
    from ggzy.reports.tables import Col

    sheet = _Sheet(wb, t["monthly"])
    table = Table([Col("month", t["month"]), *(Col(c, c, "wan") for c in rates.categories)],
                  [[month, *(amounts.get(c) for c in rates.categories)] for month, amounts in rates.monthly])
    top = sheet.table(table)
    rows = len(table.rows)
    if rows:
        chart = BarChart()
        chart.title, chart.y_axis.title = t["monthly_chart"], t["wan"]
        chart.add_data(Reference(sheet.ws, min_col=2, max_col=len(table.columns), min_row=top, max_row=top + rows),
                       titles_from_data=True)
        chart.set_categories(Reference(sheet.ws, min_col=1, min_row=top + 1, max_row=top + rows))
        chart.width, chart.height = 20, 10
        sheet.ws.add_chart(chart, f"B{top + rows + 4}")


def _discrepancy_sheets(wb: Workbook, data: ReportData, t: dict[str, str], names: dict[tuple[int, str], str]) -> None:
    lang = data.lang
    for item in data.discrepancies:
        if item.detail is None:
            continue
        result = item.result
        sheet = _Sheet(wb, names[(result["figure"], result["measure"])])
        parts = [breakdown_table(d, rows, result, lang) for d, rows in item.detail.by.items()]
        records = records_table(item.records, lang)
        records.title = f"{t['records_in_scope']}: {item.records_total}" + (
            f" ({len(item.records)} {t['rows']})" if item.records_total > len(item.records) else "")
        sheet.size([*parts, records])
        head = results_table([result], lang)
        head.title = (f"{t['figure']} {result['figure']} ({t['line']} {result['line']}): {head.rows[0][2]}, "
                      f"{result['records_command']}")
        sheet.table(head, freeze=False)
        for part in parts:
            sheet.gap()
            sheet.table(part, freeze=False)
        sheet.gap()
        sheet.table(records, freeze=False)


def write_report(path: Path, data: ReportData) -> None:
    """Write the workbook atomically (a temporary file renamed into place)."""
    t = LABELS[data.lang]
    lang = data.lang
    check_folder(path)  # before any sheet is opened: a write-only workbook cannot be abandoned cleanly
    wb = Workbook(write_only=True)
    summary = summary_table(data.meta, lang)
    summary.title = data.title
    _Sheet(wb, t["summary"]).table(summary)

    recon = data.reconciliation
    names = {(d.result["figure"], d.result["measure"]): f"{t['breakdown']}{d.number}"
             for d in data.discrepancies if d.detail is not None}
    if recon is not None:
        bad = [r for r in recon["results"] if r["status"] != "ok"]
        _Sheet(wb, t["discrepancies"]).table(results_table(bad, lang, names))
        _Sheet(wb, t["results"]).table(results_table(recon["results"], lang, names))
        _Sheet(wb, t["consistency"]).table(consistency_table(recon["consistency"], lang))

    if data.rates is not None:
        by_category = data.rates.by_category
        _rate_sheet(wb, t["rates_category"], rate_table(by_category, lang), t["rates_chart"], len(by_category.rows))
        _rate_sheet(wb, t["rates_region"], rate_table(data.rates.by_region, lang), None, 0)
        _monthly_sheet(wb, data.rates, t)

    _Sheet(wb, t["quarantine"]).table(quarantine_table(data.trail.quarantine, lang))
    _Sheet(wb, t["totals"]).table(totals_table(data.trail.totals, lang))
    _Sheet(wb, t["amendments"]).table(amendments_table(data.trail.amendments, lang))
    _discrepancy_sheets(wb, data, t, names)
    for number, found in enumerate(data.evidence, start=1):
        _Sheet(wb, f"{t['findings']}{number}").table(evidence_table(found, lang))
    save_atomically(path, wb.save)


def check_folder(path: Path) -> Path:
    folder = path.resolve().parent
    if not folder.is_dir():
        raise InputError(f"cannot write report {path}: folder {folder} does not exist")
    return folder


def save_atomically(path: Path, save: Any) -> None:
    """Run ``save(temporary_path)`` next to ``path`` and rename it into place: never a half-written file."""
    folder = check_folder(path)
    handle, temp = tempfile.mkstemp(prefix=".ggzy-", suffix=path.suffix, dir=folder)
    os.close(handle)
    try:
        save(temp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)  # as an ordinary new file (mkstemp makes it private)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise InputError(f"cannot write report {path}: {exc.strerror}") from None


def table_workbook(path: Path | BinaryIO, table: Table, sheet_name: str) -> None:
    """One table as a workbook of one sheet (the web view's xlsx downloads, written to memory)."""
    wb = Workbook(write_only=True)
    _Sheet(wb, sheet_name).table(table)
    wb.save(path)
