"""The auditor's exception workbook (openpyxl, write-only mode: rows stream to disk, so 100,000 exception
rows cost seconds, not minutes): summary, discrepancies, rate tables with native Excel charts, quarantined
rows, failed expectations — each row traceable to its source file, sheet and row, with columns for the
reviewer's sign-off.

Text from records is always written as text: a value starting with = never becomes a formula (cells
starting with + - @ are text in the file format already), and characters a workbook cannot hold are
replaced, not fatal.
"""

from __future__ import annotations

import json
import os
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ggzy.errors import InputError
from ggzy.reports.labels import LABELS, measure_label
from ggzy.reports.rate_tables import RateTable, RateTables
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BAD_FILL = PatternFill("solid", fgColor="F8CBAD")
MONEY_FORMAT = "#,##0.00"  # 万元, two decimals
RATE_FORMAT = "0.00%"
WIDTH_SAMPLE = 2000  # rows looked at to size columns (write-only sheets are sized before their rows)
RECORD_FINDING_COLUMNS = ("id", "category", "project_code", "section_code", "source_file", "source_sheet",
                          "source_row")


@dataclass
class ReportData:
    """Everything the workbook shows; the CLI gathers it, this module only writes it."""

    meta: list[tuple[str, Any]]  # summary lines: (label, value)
    reconciliation: dict[str, Any] | None = None  # Reconciliation.as_json()
    quarantine: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)  # Finding.as_json() of failures
    totals: list[dict[str, Any]] = field(default_factory=list)  # 合计/小计 rows that disagree with their rows
    rates: RateTables | None = None


def _text(value: Any) -> Any:
    """Cell value: numbers stay numbers, everything else becomes plain text a workbook can hold."""
    if value is None or (isinstance(value, int | float | Decimal) and not isinstance(value, bool)):
        return value
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class _Sheet:
    """A write-only sheet: widths and frozen header decided before the rows stream out."""

    def __init__(self, wb: Workbook, name: str) -> None:
        self.wb, self.ws = wb, wb.create_sheet(name)
        self.row = 0

    def _cell(self, value: Any, number_format: str | None = None, bold: bool = False) -> Any:
        value = _text(value)
        if not bold and number_format is None and not (isinstance(value, str) and value.startswith("=")):
            return value  # a plain value: no cell object needed (fast for 100,000 rows)
        cell = WriteOnlyCell(self.ws, value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        if number_format and value is not None:
            cell.number_format = number_format
        if bold:
            cell.font, cell.fill, cell.alignment = Font(bold=True), HEADER_FILL, Alignment(vertical="center")
        return cell

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str | None = None,
              formats: dict[int, str] | None = None) -> int:
        """Write an optional title line, a bold frozen header and the rows; returns the header's row number."""
        formats = formats or {}
        widths = [_display_width(h) for h in header]
        for values in rows[:WIDTH_SAMPLE]:
            for index, value in enumerate(values):
                shown = _text(value)
                if isinstance(shown, str):
                    widths[index] = max(widths[index], min(_display_width(shown), 60))
                elif shown is not None:
                    widths[index] = max(widths[index], len(f"{shown:,.2f}" if index in formats else str(shown)))
        for index, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width + 2
        if title is not None:
            self.ws.append([self._cell(title, bold=True)])
            self.ws.append([])
            self.row += 2
        self.ws.freeze_panes = f"A{self.row + 2}"
        self.ws.append([self._cell(h, bold=True) for h in header])
        self.row += 1
        header_row = self.row
        for values in rows:
            end = len(values)
            while end and values[end - 1] is None:  # empty trailing cells (the sign-off columns) cost time
                end -= 1
            self.ws.append([self._cell(v, formats.get(i)) for i, v in enumerate(values[:end])])
        self.row += len(rows)
        return header_row


def _rate_sheet(wb: Workbook, name: str, table: RateTable, t: dict[str, str], lang: str,
                chart_title: str | None) -> None:
    sheet = _Sheet(wb, name)
    header = [t[table.by]] + [measure_label(m, table.labels[m], lang) + (f"({t['wan']})"
                              if table.kinds[m] == "money" else "") for m in table.measures]
    formats = {i: MONEY_FORMAT if table.kinds[m] == "money" else RATE_FORMAT if table.kinds[m] == "rate"
               else "0.00" for i, m in enumerate(table.measures, start=1) if table.kinds[m] != "count"}
    rows = [[label, *(values.get(m) for m in table.measures)] for label, values in table.rows]
    if table.total:
        rows.append([t["total"], *(table.total.get(m) for m in table.measures)])
    top = sheet.table(header, rows, formats=formats)
    rates = [i for i, m in enumerate(table.measures, start=2) if table.kinds[m] == "rate"]
    if chart_title and rates and table.rows:
        chart = BarChart()
        chart.title, chart.y_axis.title = chart_title, "%"
        chart.y_axis.numFmt = "0%"
        last = top + len(table.rows)  # the groups, not the total row
        for column in rates:
            chart.add_data(Reference(sheet.ws, min_col=column, min_row=top, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(sheet.ws, min_col=1, min_row=top + 1, max_row=last))
        chart.width, chart.height = 18, 9
        sheet.ws.add_chart(chart, f"B{last + 4}")


def _monthly_sheet(wb: Workbook, rates: RateTables, t: dict[str, str]) -> None:
    sheet = _Sheet(wb, t["monthly"])
    header = [t["month"], *rates.categories]
    rows = [[month, *(amounts.get(c) for c in rates.categories)] for month, amounts in rates.monthly]
    top = sheet.table(header, rows, formats=dict.fromkeys(range(1, len(header)), MONEY_FORMAT))
    if rows:
        chart = BarChart()
        chart.title, chart.y_axis.title = t["monthly_chart"], t["wan"]
        chart.add_data(Reference(sheet.ws, min_col=2, max_col=len(header), min_row=top, max_row=top + len(rows)),
                       titles_from_data=True)
        chart.set_categories(Reference(sheet.ws, min_col=1, min_row=top + 1, max_row=top + len(rows)))
        chart.width, chart.height = 20, 10
        sheet.ws.add_chart(chart, f"B{top + len(rows) + 4}")


def _result_rows(recon: dict[str, Any], only_bad: bool) -> list[list[Any]]:
    rows = []
    for r in recon["results"]:
        if only_bad and r["status"] == "ok":
            continue
        s = r["scope"]
        rows.append([r["figure"], r["line"], r["measure"], s.get("period"), s.get("region"), s.get("category"),
                     s.get("subcategory"), s.get("exclude"), r["published"], r["unit"], r["low"], r["high"],
                     r["ledger"], r["difference"], r["records"], r["status"], r["records_command"]])
    return rows


def _finding_sheet(wb: Workbook, number: int, finding: dict[str, Any], t: dict[str, str]) -> None:
    sheet = _Sheet(wb, f"{t['findings']}{number}")
    sign_off = [t["reviewer"], t["decision"], t["note"]]
    title = (f"{finding['label']} ({finding['expectation']}, {finding.get('level', 'record')}, "
             f"{finding['severity']}): {finding['unexpected_count']}/{finding['element_count']}")
    records = finding["records"]
    if finding.get("level", "record") == "record":
        names = {"id": t["record_id"], "category": t["category"], "project_code": t["project_code"],
                 "section_code": t["section_code"], "source_file": t["file"], "source_sheet": t["sheet"],
                 "source_row": t["row"]}
        columns = list(RECORD_FINDING_COLUMNS)
        header = [names[c] for c in columns]
    else:  # a ledger summary row or a published figure: every column it has
        columns = list(records[0]) if records else []
        header = columns
    rows = [[r.get(c) for c in columns] + [None, None, None] for r in records]
    sheet.table(header + sign_off, rows, title=title)


def write_report(path: Path, data: ReportData, lang: str = "zh") -> None:
    """Write the workbook atomically (a temporary file renamed into place)."""
    t = LABELS[lang]
    check_folder(path)  # before any sheet is opened: a write-only workbook cannot be abandoned cleanly
    wb = Workbook(write_only=True)
    _Sheet(wb, t["summary"]).table([t["key"], t["value"]], [(t["title"], ""), *data.meta])

    recon = data.reconciliation
    if recon is not None:
        result_header = [t[k] for k in ("figure", "line", "measure", "period", "region", "category", "subcategory",
                                         "exclude", "published", "unit", "low", "high", "ledger", "difference",
                                         "records", "status", "command")]
        status_col = get_column_letter(result_header.index(t["status"]) + 1)
        for name, only_bad in ((t["discrepancies"], True), (t["results"], False)):
            sheet = _Sheet(wb, name)
            rows = _result_rows(recon, only_bad)
            top = sheet.table(result_header, rows)
            if rows:
                sheet.ws.conditional_formatting.add(
                    f"{status_col}{top + 1}:{status_col}{top + len(rows)}",
                    CellIsRule(operator="equal", formula=['"discrepancy"'], fill=BAD_FILL))
        _Sheet(wb, t["consistency"]).table(
            [t["figures"], t["measure"], t["status"], t["detail"]],
            [[", ".join(map(str, c["figures"])), c["measure"], c["status"], c["detail"]]
             for c in recon["consistency"]])

    if data.rates is not None:
        _rate_sheet(wb, t["rates_category"], data.rates.by_category, t, lang, t["rates_chart"])
        _rate_sheet(wb, t["rates_region"], data.rates.by_region, t, lang, None)
        _monthly_sheet(wb, data.rates, t)

    _Sheet(wb, t["quarantine"]).table(
        [t["batch"], t["kind"], t["file"], t["sheet"], t["row"], t["reasons"], t["raw"]],
        [[q["batch_id"], q["kind"], q["source_file"], q["source_sheet"], q["source_row"], q["reasons"],
          q["raw_json"]] for q in data.quarantine])
    _Sheet(wb, t["totals"]).table(
        [t["batch"], t["file"], t["sheet"], t["row"], t["label"], t["column"], t["unit"], t["stated"],
         t["rows_sum"], t["difference"], t["covered"], t["held"]],
        [[r["batch_id"], r["file_name"], r["source_sheet"], r["source_row"], r["label"], r["column_name"],
          r["unit"], r["stated"], r["rows_sum"], r["difference"], r["record_rows"] + r["held_rows"],
          r["held_rows"]] for r in data.totals])
    for number, finding in enumerate(data.findings, start=1):
        _finding_sheet(wb, number, finding, t)
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
