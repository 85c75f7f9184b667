"""The terminal tables of `records`, `quarantine`, `import` and `history` speak Chinese by default, from the one label
table (reports/labels.py); `--lang en` prints the column names the terminal always printed, so scripts reading
English output keep working. JSON is the same in both languages."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from support import GOOD, run, workbook

BAD = ["政府采购", "集中采购", "CG-BAD", "01", "打印机", "市本级", "成交", 1000, "约四百", "2022-07-09"]


def _header_line(stdout: str) -> str:
    """The header of the first rich table: its lines between the top border and the rule under it (a long header
    wraps), each column's pieces joined."""
    lines = stdout.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("┏"))
    end = next(i for i in range(top, len(lines)) if lines[i].startswith("┡"))
    pieces = [[cell.strip() for cell in line.strip("┃").split("┃")] for line in lines[top + 1:end]]
    return " | ".join("".join(column) for column in zip(*pieces, strict=True))


def test_import_and_quarantine_tables_in_chinese_and_english(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    book = workbook(tmp_path / "七月.xlsx", [*GOOD, BAD])
    imported = run(ledger_url, "import", "--no-check", str(book))
    assert imported.exit_code == 1
    header = _header_line(imported.stdout)
    for word in ("文件", "结果", "批次", "行数", "入账", "未变", "隔离", "冲突", "解决此前隔离"):
        assert word in header, word
    assert "已入账" in imported.stdout and "posted" not in imported.stdout
    assert ("无法入账: 七月.xlsx, 工作表 明细 第 5 行: 成交金额: 金额 '约四百' 不是数字(文字不能作为金额)"
            in imported.stdout)
    again = run(ledger_url, "--lang", "en", "import", "--no-check", str(book))
    assert "already_imported" in again.stdout and "quarantined" in _header_line(again.stdout)

    held = run(ledger_url, "quarantine")
    assert held.exit_code == 1 and "1 行隔离" in held.stdout
    for word in ("ID", "批次", "类型", "文件", "工作表", "行号", "原因", "原始内容", "处理情况"):
        assert word in _header_line(held.stdout), word
    assert "无法入账" in held.stdout and "不是数字" in held.stdout
    rows = list(csv.reader(io.StringIO(run(ledger_url, "quarantine", "--format", "csv").stdout)))
    assert rows[0] == ["ID", "批次", "类型", "文件", "工作表", "行号", "原因", "原始内容", "处理情况"]
    assert rows[1][2] == "无法入账"
    english = list(csv.reader(io.StringIO(run(ledger_url, "--lang", "en", "quarantine", "--format", "csv").stdout)))
    assert english[0] == ["id", "batch", "kind", "file", "sheet", "row", "reasons", "raw", "resolved"]
    assert english[1][2] == "invalid" and "is not a number" in english[1][6]


def test_records_and_history_tables_in_chinese_and_english(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    run(ledger_url, "import", "--no-check", str(workbook(tmp_path / "七月.xlsx", GOOD)))
    listed = run(ledger_url, "records", "--unit", "万元", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(listed)))
    assert rows[0] == ["记录ID", "月份", "交易类别", "子类", "项目编号", "标段编号", "项目名称", "所属区县", "交易状态",
                       "预算金额(万元)", "招标控制价(万元)", "底价(万元)", "成交金额(万元)", "成交日期", "来源"]
    table = run(ledger_url, "records").stdout
    assert f"{len(rows) - 1} 条记录" in table and "记录ID" in _header_line(table)
    english = list(csv.reader(io.StringIO(run(ledger_url, "--lang", "en", "records", "--format", "csv").stdout)))
    assert english[0][:3] == ["id", "period", "category"] and english[0][9] == "budget(元)"
    assert len(english) == len(rows) and english[1][2] == rows[1][2]  # values alike: category labels in both

    record_id = rows[1][0]
    amended = run(ledger_url, "amend", record_id, "--set", "deal=95.05", "--unit", "万元", "--reason", "合同金额")
    assert amended.exit_code == 0
    assert run(ledger_url, "amend", record_id, "--set", "winner=甲公司", "--reason", "补录中标人").exit_code == 0
    shown = run(ledger_url, "history", record_id).stdout
    for word in ("版本", "类型", "时间", "操作人", "理由", "变更", "来源"):
        assert word in _header_line(shown), word
    assert "入账" in shown and "导入批次 1" in shown and "更正" in shown
    assert "成交金额(万元) 95.00005 → 95.05" in shown and "中标(成交)人 — → 甲公司" in shown
    english_history = run(ledger_url, "--lang", "en", "history", record_id).stdout
    assert "version" in _header_line(english_history) and "imported in batch 1" in english_history
    assert "Deal amount (万元) 95.00005 → 95.05" in english_history
    versions = json.loads(run(ledger_url, "history", record_id, "--format", "json").stdout)["versions"]
    assert [v["unit"] for v in versions] == [None, "万元", "元"]


def test_reconcile_notes_are_said_in_chinese(ledger_url: str, haidong: Path) -> None:
    """A published file naming a region the ledger does not have is read as all regions; the note says so in the
    user's language (it was an English sentence on a Chinese page)."""
    assert run(ledger_url, "import", *map(str, sorted(haidong.glob("*.xlsx")))).exit_code == 0
    chinese = run(ledger_url, "reconcile", str(haidong / "published.yaml")).stdout
    assert "注: 区域 '海东市' 不在台账中: 按全部区域计" in chinese and "is not a region" not in chinese
    english = run(ledger_url, "--lang", "en", "reconcile", str(haidong / "published.yaml")).stdout
    assert "region '海东市' is not a region of the ledger" in english
