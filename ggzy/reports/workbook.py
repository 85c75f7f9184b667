"""The auditor's exception workbook (openpyxl): summary, discrepancies, quarantined rows, failed
expectations — each row traceable to its source file, sheet and row.

Text from records is always written as text: a value starting with = + - @ never becomes a formula.
"""

from __future__ import annotations

import json
import os
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ggzy.errors import InputError

LABELS = {
    "zh": {"summary": "汇总", "discrepancies": "对账差异", "results": "对账结果", "consistency": "一致性检查",
           "quarantine": "隔离行", "findings": "检查异常", "title": "公共资源交易台账异常报告",
           "figure": "序号", "line": "行", "measure": "指标", "period": "期间", "region": "区域",
           "category": "类别", "subcategory": "子类", "exclude": "不含", "published": "公布值", "unit": "单位",
           "low": "下限", "high": "上限(不含)", "ledger": "台账值", "difference": "差额", "status": "状态",
           "records": "记录数", "command": "查看记录", "figures": "涉及序号", "detail": "说明",
           "batch": "批次", "kind": "类型", "file": "来源文件", "sheet": "工作表", "row": "行号",
           "reasons": "原因", "raw": "原始内容", "expectation": "检查项", "severity": "级别",
           "failed": "未通过", "record_id": "记录ID", "project_code": "项目编号", "section_code": "标段编号",
           "name": "名称", "deal": "成交金额(元)", "reviewer": "复核人", "decision": "处理意见", "note": "备注",
           "key": "项目", "value": "内容", "totals": "合计核对", "label": "合计行", "column": "金额列",
           "stated": "表内合计", "rows_sum": "明细之和", "covered": "明细行数", "held": "其中隔离"},
    "en": {"summary": "Summary", "discrepancies": "Discrepancies", "results": "Results", "consistency":
           "Consistency", "quarantine": "Quarantine", "findings": "Findings", "title": "Ledger exception report",
           "figure": "Figure", "line": "Line", "measure": "Measure", "period": "Period", "region": "Region",
           "category": "Category", "subcategory": "Subcategory", "exclude": "Excluding", "published": "Published",
           "unit": "Unit", "low": "Low", "high": "High (excl.)", "ledger": "Ledger", "difference": "Difference",
           "status": "Status", "records": "Records", "command": "Records command", "figures": "Figures",
           "detail": "Detail", "batch": "Batch", "kind": "Kind", "file": "Source file", "sheet": "Sheet",
           "row": "Row", "reasons": "Reasons", "raw": "Raw cells", "expectation": "Expectation",
           "severity": "Severity", "failed": "Failed", "record_id": "Record ID", "project_code": "Project code",
           "section_code": "Section code", "name": "Name", "deal": "Deal amount (元)", "reviewer": "Reviewer",
           "decision": "Decision", "note": "Note", "key": "Item", "value": "Value", "totals": "Source totals",
           "label": "Total row", "column": "Amount column", "stated": "Stated total", "rows_sum": "Sum of rows",
           "covered": "Rows covered", "held": "Of which held"},
}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BAD_FILL = PatternFill("solid", fgColor="F8CBAD")


@dataclass
class ReportData:
    """Everything the workbook shows; the CLI gathers it, this module only writes it."""

    meta: list[tuple[str, str]]  # summary lines: (label, value)
    reconciliation: dict[str, Any] | None = None  # Reconciliation.as_json()
    quarantine: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)  # Finding.as_json() of failures
    totals: list[dict[str, Any]] = field(default_factory=list)  # 合计/小计 rows that disagree with their rows


def _text(value: Any) -> Any:
    """Cell value: numbers stay numbers, everything else becomes plain text."""
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _write_table(ws: Worksheet, header: Sequence[str], rows: Iterable[Sequence[Any]], title: str | None = None) -> int:
    """Header (bold, frozen) and rows; widths fit Chinese text. Returns the number of data rows."""
    if title is not None:
        ws.append([title])
        ws.append([])
    header_row = ws.max_row + 1 if title is not None else 1
    widths = [_display_width(h) for h in header]
    ws.append(list(header))
    for cell in ws[header_row]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    count = 0
    for count, values in enumerate(rows, start=1):  # noqa: B007 - count is used after the loop
        ws.append([_text(v) for v in values])
        for index, cell in enumerate(ws[ws.max_row]):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
                widths[index] = max(widths[index], min(_display_width(cell.value), 60))
            elif cell.value is not None:
                widths[index] = max(widths[index], len(str(cell.value)))
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width + 2
    ws.freeze_panes = f"A{header_row + 1}"
    return count


def write_report(path: Path, data: ReportData, lang: str = "zh") -> None:
    """Write the workbook atomically (a temporary file renamed into place)."""
    t = LABELS[lang]
    wb = Workbook()
    summary = wb.active
    summary.title = t["summary"]
    _write_table(summary, [t["key"], t["value"]], [(t["title"], ""), *data.meta])

    recon = data.reconciliation
    if recon is not None:
        result_header = [t[k] for k in ("figure", "line", "measure", "period", "region", "category", "subcategory",
                                         "exclude", "published", "unit", "low", "high", "ledger", "difference",
                                         "records", "status", "command")]

        def result_rows(only_bad: bool) -> Iterable[list[Any]]:
            for r in recon["results"]:
                if only_bad and r["status"] == "ok":
                    continue
                s = r["scope"]
                yield [r["figure"], r["line"], r["measure"], s.get("period"), s.get("region"), s.get("category"),
                       s.get("subcategory"), s.get("exclude"), r["published"], r["unit"], r["low"], r["high"],
                       r["ledger"], r["difference"], r["records"], r["status"], r["records_command"]]

        ws = wb.create_sheet(t["discrepancies"])
        _write_table(ws, result_header, result_rows(True))
        ws = wb.create_sheet(t["results"])
        n = _write_table(ws, result_header, result_rows(False))
        if n:
            status_col = get_column_letter(result_header.index(t["status"]) + 1)
            ws.conditional_formatting.add(f"{status_col}2:{status_col}{n + 1}",
                                          CellIsRule(operator="equal", formula=['"discrepancy"'], fill=BAD_FILL))
        ws = wb.create_sheet(t["consistency"])
        _write_table(ws, [t["figures"], t["measure"], t["status"], t["detail"]],
                     ([", ".join(map(str, c["figures"])), c["measure"], c["status"], c["detail"]]
                      for c in recon["consistency"]))

    ws = wb.create_sheet(t["quarantine"])
    _write_table(ws, [t["batch"], t["kind"], t["file"], t["sheet"], t["row"], t["reasons"], t["raw"]],
                 ([q["batch_id"], q["kind"], q["source_file"], q["source_sheet"], q["source_row"], q["reasons"],
                   q["raw_json"]] for q in data.quarantine))

    ws = wb.create_sheet(t["totals"])
    _write_table(ws, [t["batch"], t["file"], t["sheet"], t["row"], t["label"], t["column"], t["unit"], t["stated"],
                      t["rows_sum"], t["difference"], t["covered"], t["held"]],
                 ([r["batch_id"], r["file_name"], r["source_sheet"], r["source_row"], r["label"], r["column_name"],
                   r["unit"], r["stated"], r["rows_sum"], r["difference"], r["record_rows"] + r["held_rows"],
                   r["held_rows"]] for r in data.totals))

    header = [t["record_id"], t["category"], t["project_code"], t["section_code"], t["file"], t["sheet"], t["row"],
              t["reviewer"], t["decision"], t["note"]]
    for number, finding in enumerate(data.findings, start=1):
        ws = wb.create_sheet(f"{t['findings']}{number}")
        title = (f"{finding['label']} ({finding['expectation']}, {finding['severity']}): "
                 f"{finding['unexpected_count']}/{finding['element_count']}")
        _write_table(ws, header, ([r.get("id"), r.get("category"), r.get("project_code"), r.get("section_code"),
                                   r.get("source_file"), r.get("source_sheet"), r.get("source_row"), None, None,
                                   None] for r in finding["records"]), title=title)

    _save_atomically(wb, path)


def _save_atomically(wb: Workbook, path: Path) -> None:
    folder = path.resolve().parent
    if not folder.is_dir():
        raise InputError(f"cannot write report {path}: folder {folder} does not exist")
    handle, temp = tempfile.mkstemp(prefix=".ggzy-", suffix=".xlsx", dir=folder)
    os.close(handle)
    try:
        wb.save(temp)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise InputError(f"cannot write report {path}: {exc.strerror}") from None
