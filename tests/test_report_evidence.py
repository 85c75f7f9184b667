"""What an auditor can act on: exception rows that carry their record's fields and values, a discrepancy broken
down to where it sits, and the period's audit trail — in the workbook and in the HTML page alike."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
from support import run, workbook

OVER = ["政府采购", "分散采购", "CG-OVER", "01", "办公家具采购", "乐都区", "成交", 500000, 612345.67, "2022-08-12"]
SLIGHTLY_OVER = ["政府采购", "分散采购", "CG-OVER2", "01", "打印纸", "平安区", "成交", 100000, 100500, "2022-08-13"]
TOTAL = ["合计", None, None, None, None, None, None, 600000, 702000, None]  # the rows sum to 712,845.67


def trimmed(row: tuple) -> tuple:
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return row[:end]


def sheet_rows(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[tuple]:
    return [trimmed(r) for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]


def test_planted_exceptions_appear_in_workbook_and_html(ledger_url: str, tmp_path: Path, haidong: Path) -> None:
    run(ledger_url, "import", *map(str, sorted(haidong.glob("*.xlsx"))))
    result = run(ledger_url, "import", str(workbook(tmp_path / "planted.xlsx", [OVER, SLIGHTLY_OVER, TOTAL])))
    assert result.exit_code == 1
    amended = run(ledger_url, "--user", "auditor-li", "amend", "1", "--set", "deal=518.04", "--unit", "万元",
                  "--reason", "中标通知书金额为518.04万元")
    assert amended.exit_code == 0
    assert re.search(r"成交金额\(万元\) [\d,.]+ → 518\.04$", amended.stdout.strip()), amended.stdout  # not fen
    out, html = tmp_path / "r.xlsx", tmp_path / "r.html"
    result = run(ledger_url, "reconcile", str(haidong / "published.yaml"), "--report", str(out), "--html", str(html))
    assert result.exit_code == 1
    wb = openpyxl.load_workbook(out)
    assert wb["汇总"]["A1"].value == "海东市 2022年第三季度 公共资源交易台账异常报告"  # region: of the published file

    # the over-budget purchases: named, located, with budget, deal, excess and its rate — largest first
    (sheet,) = [wb[n] for n in wb.sheetnames if n.startswith("检查异常") and "超预算" in wb[n]["A1"].value]
    header, *rows = sheet_rows(sheet)[1:]
    assert header[:9] == ("记录ID", "项目名称", "中标(成交)人", "所属区县", "月份", "交易类别", "项目编号", "标段编号",
                          "交易状态")
    assert header[9:] == ("预算金额(元)", "成交金额(元)", "来源文件", "工作表", "行号", "超出额(元)", "超出比例",
                          "复核人", "处理意见", "备注")
    top = dict(zip(header, rows[0], strict=False))
    assert (top["项目名称"], top["所属区县"], top["月份"], top["交易类别"]) == \
        ("办公家具采购", "乐都区", "2022-08", "政府采购")
    assert (top["预算金额(元)"], top["成交金额(元)"], top["超出额(元)"]) == (500000, 612345.67, 112345.67)
    assert abs(top["超出比例"] - 112345.67 / 500000) < 1e-9
    assert (top["来源文件"], top["工作表"], top["行号"]) == ("planted.xlsx", "明细", 2)
    assert dict(zip(header, rows[1], strict=False))["超出额(元)"] == 500  # the smaller excess second
    excess_cell = next(c for c in sheet[4] if c.value == 112345.67)
    assert excess_cell.number_format == "#,##0.00"

    # the 合计 row that disagrees, as numbers
    totals = sheet_rows(wb["合计核对"])
    assert totals[1][1:] == ("planted.xlsx", "明细", 4, "合计", "成交金额(元)", "元", 702000, 712845.67, -10845.67,
                             2, 0)

    # the amendment: who, when, why, before → after in the unit it was given in (万元), exact, as numbers
    (trail_header, trail) = sheet_rows(wb["更正与作废"])
    change = dict(zip(trail_header, trail, strict=True))
    assert (change["记录ID"], change["类型"], change["操作人"], change["理由"]) == (1, "更正", "auditor-li",
                                                                            "中标通知书金额为518.04万元")
    assert (change["字段"], change["更正前"], change["更正后"]) == ("成交金额(万元)", 1721.5823, 518.04)
    before_cell, after_cell = wb["更正与作废"].cell(2, 12), wb["更正与作废"].cell(2, 13)
    assert (before_cell.number_format, after_cell.number_format) == ("#,##0.0000", "#,##0.00")

    # every discrepancy has a sheet that breaks it down and lists its records
    discrepancies = sheet_rows(wb["对账差异"])
    named = [r[16] for r in discrepancies[1:]]
    assert named and all(name in wb.sheetnames for name in named)
    first = sheet_rows(wb[named[0]])
    assert ("来源文件", f"台账值({discrepancies[1][9]})", "记录数") in first

    text = html.read_text(encoding="utf-8")
    for expected in ("海东市 2022年第三季度 公共资源交易台账异常报告", "办公家具采购", "112,345.67", "22.47%",
                     "702,000", "712,845.67", "-10,845.67", "中标通知书金额为518.04万元", "auditor-li",
                     "成交金额(万元)", ">1,721.5823<", ">518.04<",
                     "差异分解1", "分解维度: 来源文件"):
        assert expected in text, expected
    # no English words on the Chinese page (expectation ids are identifiers, shown beside their Chinese label)
    assert not re.search(r">(procurement|construction|discrepancy|amount|count|ok|error|deal)<", text)


def test_a_region_renamed_by_amendment_leaves_no_empty_row(ledger_url: str, tmp_path: Path) -> None:
    rows = [["政府采购", "分散采购", "CG-1", "01", "x", "北岭", "成交", 100, 90, "2022-07-01"],
            ["政府采购", "分散采购", "CG-2", "01", "y", "南湖", "成交", 100, 80, "2022-07-02"]]
    run(ledger_url, "import", str(workbook(tmp_path / "t.xlsx", rows)))
    records = json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"]
    north = next(r["id"] for r in records if r["region"] == "北岭")
    assert run(ledger_url, "amend", str(north), "--set", "region=南湖", "--reason", "区划调整").exit_code == 0
    data = json.loads(run(ledger_url, "rates", "--by", "region", "--format", "json").stdout)
    assert [r["region"] for r in data["rows"]] == ["南湖"] and data["rows"][0]["count"] == 2
    out = tmp_path / "r.xlsx"
    run(ledger_url, "report", "--out", str(out))
    regions = [r[0] for r in sheet_rows(openpyxl.load_workbook(out)["分区域节资率增值率"])[1:]]
    assert regions == ["南湖", "合计"]


def test_check_and_english_reports_use_the_one_label_table(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "import", str(workbook(tmp_path / "o.xlsx", [OVER])))
    check = run(ledger_url, "check")
    assert check.exit_code == 1
    assert "错误: procurement_within_budget: 交易记录 1 CG-OVER 办公家具采购 (o.xlsx:明细:2)" in check.stdout
    assert "未通过" in check.stdout and "FAILED" not in check.stdout and "category=construction" not in check.stdout
    english = run(ledger_url, "--lang", "en", "check")
    assert "error: procurement_within_budget: Record 1 CG-OVER" in english.stdout and "FAILED" in english.stdout
    out = tmp_path / "en.xlsx"
    run(ledger_url, "--lang", "en", "report", "--out", str(out), "--html", str(tmp_path / "en.html"))
    wb = openpyxl.load_workbook(out)
    sheet = wb["Findings1"]
    assert sheet_rows(sheet)[1][:3] == ("Record ID", "Name", "Winner") and "Excess (元)" in sheet_rows(sheet)[1]
    assert wb["Summary"]["A1"].value == "Ledger exception report"
    assert "Amendments and voids" in (tmp_path / "en.html").read_text(encoding="utf-8")


def test_stored_reasons_are_shown_in_chinese() -> None:
    from ggzy.reports.labels import message

    assert message("status is 成交 but the deal amount (成交金额) is empty") == "交易状态为成交, 但成交金额为空"
    assert message("budget: amount '12%' is a percentage (e.g. a discount rate), not money; missing trade date "
                   "(成交日期/开标日期): the period comes from it") == \
        "预算金额: 金额 '12%' 是百分比(如下浮率), 不是金额; 缺少成交日期/开标日期: 期间由它确定"
    assert message("something new the table does not know") == "something new the table does not know"
    assert message("status is 成交 but the deal amount (成交金额) is empty", "en").startswith("status is")
