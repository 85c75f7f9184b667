"""The exception workbook lists every discrepancy and every quarantined row with its source."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from support import GOOD, run, workbook


def trimmed(row: tuple) -> tuple:
    """A sheet row without the empty cells after its last value."""
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return row[:end]


def published(tmp_path: Path) -> Path:
    path = tmp_path / "published.yaml"
    path.write_text("period: 2022-07\nunit: 万元\nfigures:\n"
                    "  - {category: 政府采购, count: 1, amount: 95.00}\n"      # ledger 95.000050 → ok
                    "  - {category: 工程建设, count: 1, amount: 1234.58}\n",  # ledger 1234.56789 → discrepancy
                    encoding="utf-8")
    return path


def test_reconcile_report_lists_discrepancies_and_quarantine(ledger_url: str, tmp_path: Path) -> None:
    rows = [*GOOD, ["政府采购", "分散采购", "=HYPERLINK(\"http://x\")", "01", "@SUM(A1)", "市本级", "成交", 1,
                    "abc", "2022-07-02"]]
    path = workbook(tmp_path / "july.xlsx", rows)
    wb = openpyxl.load_workbook(path)
    for cell in wb.active[5]:
        if isinstance(cell.value, str) and cell.value[:1] in "=@":
            cell.data_type = "s"  # text in the source that merely looks like a formula
    wb.save(path)
    assert run(ledger_url, "import", str(path)).exit_code == 1
    out = tmp_path / "exceptions.xlsx"
    result = run(ledger_url, "reconcile", str(published(tmp_path)), "--report", str(out))
    assert result.exit_code == 1 and "差异: 第2项(第5行) 成交金额" in result.stdout
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:8] == ["汇总", "对账差异", "对账结果", "一致性检查", "分类节资率增值率", "分区域节资率增值率",
                                 "月度成交金额", "隔离行"]
    summary = {r[0]: r[1] for r in wb["汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["对账差异"] == 1 and summary["隔离行"] == 1 and summary["操作人"] == "tester"
    assert wb["汇总"]["A1"].value == "2022年7月 公共资源交易台账异常报告"  # the period; this file names no centre
    header, *diffs = list(wb["对账差异"].iter_rows())
    assert len(diffs) == 1
    diff = {h.value: c for h, c in zip(header, diffs[0], strict=True)}
    assert (diff["序号"].value, diff["指标"].value, diff["单位"].value, diff["状态"].value) == \
        (2, "成交金额", "万元", "差异")
    # numbers, not text: Excel sums them; the published value with its own two decimals, the ledger two more
    assert (diff["公布值"].value, diff["台账值"].value) == (1234.58, 1234.56789)
    assert diff["公布值"].number_format == "#,##0.00" and diff["台账值"].number_format == "#,##0.0000"
    difference = diff["差额(台账值−公布值)"]
    assert difference.value == -0.01211 and difference.number_format == "+#,##0.0000;-#,##0.0000;0"
    assert "--category 工程建设" in diff["查看记录"].value and diff["差异分解"].value == "差异分解1"
    breakdown = [trimmed(r) for r in wb["差异分解1"].iter_rows(values_only=True) if any(v is not None for v in r)]
    assert ("区域", "台账值(万元)", "记录数") in breakdown and ("乐都区", 1234.56789, 1) in breakdown
    assert ("来源文件", "台账值(万元)", "记录数") in breakdown and ("july.xlsx", 1234.56789, 1) in breakdown
    listed = next(i for i, r in enumerate(breakdown) if r[0] == "记录ID")
    assert breakdown[listed + 1][1:4] == ("综合楼", None, "乐都区") and breakdown[listed + 1][13] == 12345678.9
    header, *held = list(wb["隔离行"].iter_rows(values_only=True))
    (row,) = held
    record = dict(zip(header, row, strict=True))
    assert (record["来源文件"], record["工作表"], record["行号"]) == ("july.xlsx", "明细", 5)
    assert record["原因"] == "成交金额: 金额 'abc' 不是数字(文字不能作为金额)"  # the stored reason, in Chinese
    raw = json.loads(record["原始内容"])
    assert raw["项目编号"].startswith("=HYPERLINK")
    # text that looks like a formula stays text in every cell of the workbook
    for ws in wb.worksheets:
        for cells in ws.iter_rows():
            for cell in cells:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} became a formula"


def test_report_command_uses_latest_reconciliation_and_english_labels(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    run(ledger_url, "import", str(workbook(tmp_path / "july.xlsx", GOOD)))
    run(ledger_url, "reconcile", str(published(tmp_path)))
    out = tmp_path / "r.xlsx"
    result = run(ledger_url, "--lang", "en", "report", "--period", "2022-07", "--out", str(out))
    assert result.exit_code == 1 and "1 discrepancies" in result.stdout
    wb = openpyxl.load_workbook(out)
    assert "Discrepancies" in wb.sheetnames and "Summary" in wb.sheetnames
    assert run(ledger_url, "report", "--out", str(tmp_path / "r.pdf")).exit_code == 2
    assert run(ledger_url, "report", "--out", str(tmp_path / "nodir" / "r.xlsx")).exit_code == 2


def test_check_reports_broken_expectations_with_source(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    over_budget = [["政府采购", "分散采购", "CG-X", "01", "x", "市本级", "成交", 100, 120, "2022-07-01"]]
    result = run(ledger_url, "import", str(workbook(tmp_path / "o.xlsx", over_budget)))
    assert result.exit_code == 1 and "政府采购成交价超预算" in result.stdout  # posted, and reported
    records = json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"]
    assert len(records) == 1
    result = run(ledger_url, "check", "--format", "json")
    assert result.exit_code == 1
    failed = [e for e in json.loads(result.stdout)["expectations"] if not e["success"]]
    assert [e["expectation"] for e in failed] == ["procurement_within_budget"]
    assert failed[0]["records"][0]["source_row"] == 2


def test_rate_sheets_have_exact_wan_values_formats_and_native_charts(ledger_url: str, tmp_path: Path) -> None:
    from decimal import Decimal

    run(ledger_url, "init")
    august = [["政府采购", "分散采购", "CG-8", "01", "x", "平安区", "成交", 300000, 240000, "2022-08-03"]]
    run(ledger_url, "import", str(workbook(tmp_path / "july.xlsx", GOOD)), str(workbook(tmp_path / "aug.xlsx", august)))
    out = tmp_path / "r.xlsx"
    run(ledger_url, "report", "--out", str(out))
    wb = openpyxl.load_workbook(out)
    ws = wb["分类节资率增值率"]
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    assert header[:4] == ["类别", "交易数", "成交数", "成交金额(万元)"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2) if r[0].value}
    purchase = {h: c for h, c in zip(header, rows["政府采购"], strict=True)}
    # 950,000.50 + 240,000 元 = 119.000050 万元 exactly; savings (1,000,000 − 950,000.50) + 60,000 元
    assert Decimal(str(purchase["成交金额(万元)"].value)) == Decimal("119.000050")
    assert purchase["成交金额(万元)"].number_format == "#,##0.00"
    assert Decimal(str(purchase["节资额(万元)"].value)) == Decimal("10.999950")
    assert purchase["节资率"].number_format == "0.00%"
    assert abs(purchase["节资率"].value - 109999.5 / 1300000) < 1e-6  # Σ savings / Σ budget, not a mean of rates
    assert rows["合计"][1].value == 4  # every record, the failed land sale included
    (chart,) = ws._charts
    assert chart.tagname == "barChart" and len(chart.series) == 2  # 节资率 and 增值率 per category
    monthly = wb["月度成交金额"]
    assert [c.value for c in monthly[1]] == ["月份", "工程建设", "土地使用权", "政府采购"]
    months = [r[0] for r in monthly.iter_rows(min_row=2, values_only=True) if r[0]]
    assert months == ["2022-07", "2022-08"] and len(monthly._charts) == 1
    assert [c.value for c in monthly[3]][1:] == [None, None, 24]
    regions = {r[0] for r in wb["分区域节资率增值率"].iter_rows(min_row=2, values_only=True)}
    assert {"市本级", "乐都区", "民和县", "平安区", "合计"} <= regions


def test_report_sheets_for_ledger_level_findings_and_html(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    no_budget = [["政府采购", "分散采购", "CG-1", "01", "x", "市本级", "成交", None, 900, "2022-07-05"]]
    run(ledger_url, "import", str(workbook(tmp_path / "a.xlsx", no_budget)))
    out, html = tmp_path / "r.xlsx", tmp_path / "r.html"
    result = run(ledger_url, "report", "--out", str(out), "--html", str(html))
    assert result.exit_code == 1 and "1 项期望未通过" in result.stdout
    wb = openpyxl.load_workbook(out)
    (sheet,) = [ws for ws in wb.worksheets if ws.title.startswith("检查异常")]
    assert sheet["A1"].value.startswith("有成交但无预算") and "(deals_have_base, 台账, 错误)" in sheet["A1"].value
    header = [c.value for c in sheet[3]]
    assert header[:5] == ["有基数的成交数", "批次", "来源文件", "交易类别", "月份"]  # the column read comes first
    assert header[-3:] == ["复核人", "处理意见", "备注"]
    assert [c.value for c in sheet[4]][:5] == [0, 1, "a.xlsx", "政府采购", "2022-07"]
    assert "有成交但无预算" in html.read_text(encoding="utf-8")
    assert run(ledger_url, "report", "--out", str(out), "--html", str(tmp_path / "r.txt")).exit_code == 2


def test_a_rule_file_gone_since_the_reconciliation_is_named_in_the_summary(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    run(ledger_url, "import", str(workbook(tmp_path / "july.xlsx", GOOD)))
    rules = tmp_path / "mine.yaml"
    from ggzy.rules.engine import load_rules

    rules.write_text(f"include: {load_rules().source}\n", encoding="utf-8")
    assert run(ledger_url, "reconcile", str(published(tmp_path)), "--rules", str(rules)).exit_code == 1
    rules.unlink()
    out = tmp_path / "r.xlsx"
    run(ledger_url, "report", "--out", str(out))
    summary = {r[0]: r[1] for r in openpyxl.load_workbook(out)["汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["规则文件"] == f"{rules} (已不存在, 比率表按内置规则计算)"
