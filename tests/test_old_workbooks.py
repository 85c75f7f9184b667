"""Old Excel 97–2003 workbooks (.xls), which many centres' systems still export: read like .xlsx — merged header
groups and merged record cells included — and a file that only carries the name (an HTML page, an .xlsx) is told
apart in one sentence."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
import xlwt
from support import run

TITLE = "某市公共资源交易中心2022年7月交易明细"
HEADS = ["项目编号", "项目名称", "标段编号", "交易类别", "交易状态"]  # merged over the two header rows
# project code and name merged down over a project's two sections (rows 5–6), as centres print them; the
# last project's deal amount merged over its two sections: one amount cannot be split, so both are held
RECORDS = [
    ["CG-2022-071", "办公设备采购", "01", "政府采购", "成交", 120.5, 118.2345, dt.date(2022, 7, 5)],
    [None, None, "02", "政府采购", "成交", 36, 35.99, dt.date(2022, 7, 19)],
    ["GC-2022-015", "道路维修工程", "01", "工程建设", "流标", 880, None, dt.date(2022, 7, 28)],
    ["GC-2022-016", "桥梁加固工程", "01", "工程建设", "成交", 500, 480, dt.date(2022, 7, 29)],
    [None, None, "02", "工程建设", "成交", 300, None, dt.date(2022, 7, 29)],
]
MERGED_DOWN = [(4, 5, 0), (4, 5, 1), (7, 8, 0), (7, 8, 1), (7, 8, 6)]  # (first row, last row, column), 0-based


def old_workbook(path: Path) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("7月")
    date = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    sheet.write_merge(0, 0, 0, 7, TITLE)
    sheet.write(1, 0, "制表单位：市公共资源交易中心")
    for column, head in enumerate(HEADS):
        sheet.write_merge(2, 3, column, column, head)
    sheet.write_merge(2, 2, 5, 6, "金额（万元）")
    sheet.write(3, 5, "预算金额")
    sheet.write(3, 6, "成交金额")
    sheet.write_merge(2, 3, 7, 7, "成交日期")
    merged = {(top, column): bottom for top, bottom, column in MERGED_DOWN}
    covered = {(row, column) for top, bottom, column in MERGED_DOWN for row in range(top + 1, bottom + 1)}
    for row, values in enumerate(RECORDS, start=4):
        for column, value in enumerate(values):
            if value is None or (row, column) in covered:
                continue
            style = date if isinstance(value, dt.date) else xlwt.Style.default_style
            if (row, column) in merged:
                sheet.write_merge(row, merged[(row, column)], column, column, value, style)
            else:
                sheet.write(row, column, value, style)
    book.save(str(path))
    return path


def new_workbook(path: Path) -> Path:
    """The same sheet as .xlsx."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "7月"
    sheet.merge_cells("A1:H1")
    sheet["A1"] = TITLE
    sheet["A2"] = "制表单位：市公共资源交易中心"
    for column, head in enumerate(HEADS, start=1):
        sheet.merge_cells(start_row=3, end_row=4, start_column=column, end_column=column)
        sheet.cell(3, column, head)
    sheet.merge_cells("F3:G3")
    sheet["F3"], sheet["F4"], sheet["G4"] = "金额（万元）", "预算金额", "成交金额"
    sheet.merge_cells("H3:H4")
    sheet["H3"] = "成交日期"
    for row, values in enumerate(RECORDS, start=5):
        for column, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(row, column, value)
    for top, bottom, column in MERGED_DOWN:
        sheet.merge_cells(start_row=top + 1, end_row=bottom + 1, start_column=column + 1, end_column=column + 1)
    book.save(path)
    return path


def web_page(path: Path, encoding: str = "gb2312") -> Path:
    """The same sheet as a centre's system exports it: an HTML page named .xls, in GB2312 as its <meta> says, the
    unit on a line above the table (not in the header), spans for merged cells, some end tags left out, &nbsp;."""
    def cell(value: object, rows: int = 1) -> str:
        text = value.isoformat() if isinstance(value, dt.date) else "&nbsp;" if value is None else str(value)
        return f"<td rowspan={rows}>{text}" if rows > 1 else f"<td>{text}</td>"

    spans = {(top, column): bottom - top + 1 for top, bottom, column in MERGED_DOWN}
    covered = {(row, column) for top, bottom, column in MERGED_DOWN for row in range(top + 1, bottom + 1)}
    body = "".join(
        "<tr>" + "".join(cell(value, spans.get((row, column), 1)) for column, value in enumerate(values)
                         if (row, column) not in covered) + "</tr>\n"
        for row, values in enumerate(RECORDS, start=4))
    page = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={encoding}">'
            "<style>td {{mso-number-format:'\\@';}}</style></head><body>\n"
            f"<div align=center><b>{TITLE}</b></div>\n<div>单位：万元</div>\n"
            '<table border=1>\n<tr>' + "".join(f"<th rowspan=2>{head}</th>" for head in HEADS)
            + '<th colspan="2">金额</th><th rowspan=2>成交日期</th></tr>\n<tr><th>预算金额<th>成交金额</tr>\n'
            + body + "</table></body></html>")
    path.write_bytes(page.encode(encoding))
    return path


def records(url: str) -> list[tuple]:
    listed = json.loads(run(url, "records", "--format", "json").stdout)["records"]
    return sorted((r["project_code"], r["section_code"], r["name"], r["category"], r["status"], r["budget_fen"],
                   r["deal_fen"], r["trade_date"], r["source_row"]) for r in listed)


def test_an_old_xls_workbook_reads_like_the_same_xlsx(ledger_url: str, tmp_path: Path) -> None:
    result = run(ledger_url, "import", "--format", "json", str(old_workbook(tmp_path / "7月明细.xls")))
    assert result.exit_code == 1, result.output  # the merged amount's two rows are held
    outcome = json.loads(result.stdout)["files"][0]
    assert (outcome["rows"], outcome["posted"], outcome["quarantined"]) == (5, 3, 2)
    # 万元 from the merged group label; project code and name filled down their merged cells
    assert records(ledger_url) == [
        ("CG-2022-071", "01", "办公设备采购", "procurement", "deal", 120_500_000, 118_234_500, "2022-07-05", 5),
        ("CG-2022-071", "02", "办公设备采购", "procurement", "deal", 36_000_000, 35_990_000, "2022-07-19", 6),
        ("GC-2022-015", "01", "道路维修工程", "construction", "failed", 880_000_000, None, "2022-07-28", 7),
    ]
    held = json.loads(run(ledger_url, "quarantine", "--format", "json").stdout)["quarantine"]
    assert sorted(h["source_row"] for h in held) == [8, 9]
    assert all("merged over rows 8–9" in h["reasons"] for h in held)

    # the same sheet saved as .xlsx is the same rows: nothing new, the same two held again
    again = json.loads(run(ledger_url, "import", "--format", "json", str(new_workbook(tmp_path / "7月明细.xlsx")))
                       .stdout)["files"][0]
    assert (again["posted"], again["unchanged"], again["quarantined"]) == (0, 3, 2)


@pytest.mark.parametrize("encoding", ["gb2312", "utf-8"])
def test_a_web_page_named_xls_reads_as_excel_shows_it(ledger_url: str, tmp_path: Path, encoding: str) -> None:
    result = run(ledger_url, "import", "--format", "json", str(web_page(tmp_path / "交易明细导出.xls", encoding)))
    assert result.exit_code == 1, result.output
    outcome = json.loads(result.stdout)["files"][0]
    assert (outcome["rows"], outcome["posted"], outcome["quarantined"]) == (5, 3, 2)
    assert records(ledger_url) == [  # 万元 from the line above the table; codes and names down their spans
        ("CG-2022-071", "01", "办公设备采购", "procurement", "deal", 120_500_000, 118_234_500, "2022-07-05", 5),
        ("CG-2022-071", "02", "办公设备采购", "procurement", "deal", 36_000_000, 35_990_000, "2022-07-19", 6),
        ("GC-2022-015", "01", "道路维修工程", "construction", "failed", 880_000_000, None, "2022-07-28", 7),
    ]
    listed = json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"]
    assert {r["source_sheet"] for r in listed} == {"交易明细导出"}  # Excel names the sheet after the file
    raw = json.loads(run(ledger_url, "history", "2", "--format", "json").stdout)["versions"][0]["raw"]
    # raw cells as the sheet holds them: the code's span leaves its lower cell empty, as Excel does
    assert raw["项目编号"] is None and raw["标段编号"] == "02" and raw["金额/成交金额"] == "35.99"
    again = json.loads(run(ledger_url, "import", "--format", "json", str(new_workbook(tmp_path / "7月明细.xlsx")))
                       .stdout)["files"][0]
    assert (again["posted"], again["unchanged"], again["quarantined"]) == (0, 3, 2)
    assert run(ledger_url, "verify").exit_code == 0


def test_an_xls_file_is_kept_and_its_raw_cells_shown(ledger_url: str, tmp_path: Path) -> None:
    path = old_workbook(tmp_path / "7月明细.xls")
    assert run(ledger_url, "import", str(path)).exit_code == 1
    out = tmp_path / "back.xls"
    assert run(ledger_url, "source", "1", "-o", str(out)).exit_code == 0
    assert out.read_bytes() == path.read_bytes()
    raw = json.loads(run(ledger_url, "history", "2", "--format", "json").stdout)["versions"][0]["raw"]
    assert raw["标段编号"] == "02" and raw["金额（万元）/成交金额"] == "35.99"
    assert run(ledger_url, "verify").exit_code == 0


@pytest.mark.parametrize(("content", "says"), [
    (b"MIME-Version: 1.0\r\nContent-Type: multipart/related", "is a web archive (MHTML) or markup saved with an .xls"),
    (b"<?php echo 1; ?>", "is a web archive (MHTML) or markup saved with an .xls"),
    (b"project,deal\nA,1\n", "is not an Excel workbook although named .xls"),
])
def test_a_file_that_is_only_named_xls_exits_2_and_writes_nothing(ledger_url: str, tmp_path: Path, content: bytes,
                                                                   says: str) -> None:
    path = tmp_path / "导出.xls"
    path.write_bytes(content)
    result = run(ledger_url, "import", str(path))
    assert result.exit_code == 2
    assert str(path) in result.output and says in result.output and "save it as .xlsx" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"] == []


def test_an_xlsx_named_xls_says_to_rename_it(ledger_url: str, tmp_path: Path) -> None:
    path = tmp_path / "明细.xls"
    path.write_bytes(new_workbook(tmp_path / "明细.xlsx").read_bytes())
    result = run(ledger_url, "import", str(path))
    assert result.exit_code == 2
    assert "is an .xlsx workbook named .xls; rename it to .xlsx" in result.output


def test_a_web_page_whose_spans_would_fill_millions_of_cells_exits_2(ledger_url: str, tmp_path: Path) -> None:
    path = tmp_path / "spans.xls"
    path.write_bytes(b"<table>" + b"<tr><td rowspan=1000 colspan=1000>x</td></tr>" * 10 + b"</table>")
    result = run(ledger_url, "import", str(path))
    assert result.exit_code == 2 and "spans more than 4,000,000 cells" in result.output and "spans.xls" in result.output
