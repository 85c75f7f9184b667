"""`ggzy check`: record-, ledger- and reconciliation-level expectations with severities, suite files
users extend, and Great Expectations Data Docs — each planted fault found, with its source row."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from support import HEADER, assert_error_at, run, workbook

JULY = [
    ["政府采购", "分散采购", "CG-1", "01", "桌椅", "市本级", "成交", 1000, 900, "2022-07-05"],
    ["工程建设", "房屋建筑", "GC-1", "01", "楼", "乐都区", "成交", 5000, 4800, "2022-07-06"],
]


def titled(path: Path, title: str, rows: list[list[object]], unit: str | None = None) -> Path:
    """A sheet with a title line (and a unit line), as centres send them."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "明细"
    ws.append([title])
    if unit:
        ws.append([f"金额单位：{unit}"])
    ws.append([h.replace("(元)", "") if unit else h for h in HEADER])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def check(url: str, *args: str, code: int) -> dict:
    result = run(url, "check", "--format", "json", *args)
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def failed(report: dict) -> dict[str, dict]:
    return {e["expectation"]: e for e in report["expectations"] if not e["success"]}


def test_clean_ledger_passes_every_level(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    run(ledger_url, "import", str(titled(tmp_path / "t.xlsx", "某市2022年7月交易明细", JULY)))
    report = check(ledger_url, code=0)
    levels = {e["level"] for e in report["expectations"]}
    assert levels == {"record", "ledger"} and report["records"] == 2 and failed(report) == {}
    assert report["summary"]["failed_errors"] == 0 and report["summary"]["ok"] == len(report["expectations"])


def test_late_entry_outside_the_title_month_is_a_warning_with_its_row(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    late = [*JULY, ["政府采购", "分散采购", "CG-2", "01", "补录", "市本级", "成交", 100, 90, "2022-05-30"]]
    result = run(ledger_url, "import", str(titled(tmp_path / "t.xlsx", "某市2022年7月进场交易明细表", late)))
    assert result.exit_code == 0 and "警告: 成交日期不在文件标题所示期间" in result.stdout  # posted, reported
    report = check(ledger_url, code=0)  # a warning does not fail the check
    finding = failed(report)["date_in_title_period"]
    assert finding["severity"] == "warning" and finding["unexpected_count"] == 1
    assert (finding["records"][0]["project_code"], finding["records"][0]["source_row"]) == ("CG-2", 5)


@pytest.mark.parametrize(("title", "date", "late"), [
    ("2022年第三季度交易明细", "2022-09-30", False), ("2022年第三季度交易明细", "2022-10-01", True),
    ("2022年1-3月交易明细", "2022-04-01", True), ("2022年上半年明细", "2022-06-30", False),
    ("交易明细(无期间)", "2019-01-01", False), ("2022年度明细", "2023-01-02", True)])
def test_title_periods(ledger_url: str, tmp_path: Path, title: str, date: str, late: bool) -> None:
    run(ledger_url, "init")
    rows = [["政府采购", "分散采购", "CG-1", "01", "x", "市本级", "成交", 100, 90, date]]
    run(ledger_url, "import", str(titled(tmp_path / "t.xlsx", title, rows)))
    assert ("date_in_title_period" in failed(check(ledger_url, code=0))) is late


def test_implausible_rates_and_over_budget(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    rows = [*JULY,
            ["政府采购", "分散采购", "CG-LOW", "01", "低价", "市本级", "成交", 1000, 400, "2022-07-07"],   # 60% saved
            ["政府采购", "分散采购", "CG-OVER", "01", "超预算", "市本级", "成交", 1000, 1200, "2022-07-07"],
            ["土地使用权", None, "TD-1", "", "宗地", "民和县", "成交", 100, 500, "2022-07-08"]]    # premium 400%
    path = workbook(tmp_path / "t.xlsx", rows)
    assert run(ledger_url, "import", str(path)).exit_code == 1  # an error-level expectation failed
    report = check(ledger_url, code=1)
    bad = failed(report)
    assert [r["project_code"] for r in bad["savings_rate_plausible"]["records"]] == ["CG-LOW"]
    assert bad["savings_rate_plausible"]["severity"] == "warning"
    assert [r["project_code"] for r in bad["procurement_within_budget"]["records"]] == ["CG-OVER"]
    assert bad["procurement_within_budget"]["severity"] == "error"
    # the land sale gave a budget, not a reserve price: no premium rate, and its deals have no base
    assert set(bad) == {"savings_rate_plausible", "procurement_within_budget", "deals_have_base"}
    assert bad["deals_have_base"]["records"][0]["category"] == "land"


def test_premium_above_300_percent(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    header = ["交易类别", "项目编号", "所属区县", "交易状态", "挂牌起始价(元)", "成交价(元)", "成交日期"]
    rows = [["土地使用权", "TD-1", "民和县", "成交", 100, 500, "2022-07-08"],
            ["土地使用权", "TD-2", "民和县", "成交", 100, 150, "2022-07-08"]]
    run(ledger_url, "import", str(workbook(tmp_path / "t.xlsx", rows, header)))
    bad = failed(check(ledger_url, code=0))
    assert [r["project_code"] for r in bad["premium_rate_plausible"]["records"]] == ["TD-1"]


def test_ledger_level_deals_without_budget_and_unit_mix_up(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    no_budget = [["政府采购", "分散采购", f"CG-{i}", "01", "x", "市本级", "成交", None, 900, "2022-07-05"]
                 for i in range(3)]
    run(ledger_url, "import", str(workbook(tmp_path / "a.xlsx", no_budget)))
    in_wan = [["工程建设", "房屋建筑", f"GC-{i}", "01", "x", "乐都区", "成交", 500, 480 + i, "2022-08-05"]
              for i in range(3)]
    in_yuan = [["工程建设", "房屋建筑", f"GC-Y{i}", "01", "x", "乐都区", "成交", 5_000_000, 4_800_000 + i,
                "2022-09-05"] for i in range(3)]
    run(ledger_url, "import", str(titled(tmp_path / "wan1.xlsx", "2022年8月", in_wan, unit="万元")))
    run(ledger_url, "import", str(titled(tmp_path / "wan2.xlsx", "2022年8月", [
        [*r[:2], r[2] + "b", *r[3:]] for r in in_wan], unit="万元")))
    run(ledger_url, "import", str(titled(tmp_path / "yuan.xlsx", "2022年9月", in_yuan, unit="万元")))
    report = check(ledger_url, code=1)
    bad = failed(report)
    (no_base,) = bad["deals_have_base"]["records"]
    assert (no_base["source_file"], no_base["category"], no_base["month"], no_base["deals"]) == \
        ("a.xlsx", "procurement", "2022-07", 3)
    (scale,) = bad["amount_scale_consistent"]["records"]
    assert scale["source_file"] == "yuan.xlsx" and bad["amount_scale_consistent"]["severity"] == "warning"
    assert bad["deals_have_base"]["level"] == "ledger"
    # --period narrows every level to the records of that period
    assert "deals_have_base" not in failed(check(ledger_url, "--period", "2022-08..2022-09", code=0))


def test_published_figures_are_expectations_that_agree_with_reconcile(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    run(ledger_url, "import", str(workbook(tmp_path / "t.xlsx", JULY)))
    published = tmp_path / "p.yaml"
    published.write_text("period: 2022-07\nunit: 元\nfigures:\n"
                         "  - {category: 政府采购, count: 1, amount: 900.00, savings_rate: 10.0%}\n"
                         "  - {category: 工程建设, count: 2, amount: 4800.0}\n"   # count is off, amount inside
                         "  - {category: 土地使用权, count: 0, premium_rate: 5%}\n",  # no reserve: no rate
                         encoding="utf-8")
    reconciled = json.loads(run(ledger_url, "reconcile", str(published), "--format", "json").stdout)
    report = check(ledger_url, "--published", str(published), code=1)
    by_key = {e["expectation"]: e for e in report["expectations"] if e["level"] == "reconciliation"}
    assert len(by_key) == len(reconciled["results"]) == 7
    for result in reconciled["results"]:
        assert by_key[f"{result['figure']}.{result['measure']}"]["success"] is (result["status"] == "ok")
    assert set(failed(report)) == {"2.count", "3.premium_rate"}
    (row,) = failed(report)["2.count"]["records"]
    assert (row["figure"], row["line"], row["published"], row["ledger"]) == (2, 5, "2", "1")


def test_data_docs_are_built(ledger_url: str, tmp_path: Path, haidong: Path) -> None:
    run(ledger_url, "init")
    run(ledger_url, "import", *map(str, sorted(haidong.glob("*.xlsx"))))
    docs = tmp_path / "docs"
    report = check(ledger_url, "--published", str(haidong / "published.yaml"), "--docs", str(docs), code=0)
    assert report["docs"] == str(docs.resolve() / "index.html")
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert "record" in index and "reconciliation" in index and "ledger" in index
    pages = list((docs / "validations").rglob("*.html"))
    assert len(pages) == 3
    record_page = next(p for p in pages if "record" in str(p.relative_to(docs))).read_text(encoding="utf-8")
    assert "deal_fen" in record_page
    assert report["summary"]["failed_errors"] == 0 and report["summary"]["ok"] > 50


def test_user_suite_extends_the_shipped_one_with_a_region_list(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    run(ledger_url, "import", str(workbook(tmp_path / "t.xlsx", JULY)))
    suite = tmp_path / "centre.yaml"
    suite.write_text("include: record\nexpectations:\n  - id: region_known\n    label: 区域不在本中心区域列表\n"
                     "    severity: error\n    type: expect_column_values_to_be_in_set\n"
                     "    kwargs: {column: region, value_set: [市本级, 平安区]}\n", encoding="utf-8")
    report = check(ledger_url, "--suite", str(suite), code=1)
    ids = [e["expectation"] for e in report["expectations"]]
    assert "project_code_present" in ids and ids.count("region_known") == 1 and "deals_have_base" in ids
    assert [r["project_code"] for r in failed(report)["region_known"]["records"]] == ["GC-1"]
    # the same suite at import: the record is posted and the failure reported (exit 1: an error)
    more = [["政府采购", "分散采购", "CG-9", "01", "x", "化隆县", "成交", 10, 9, "2022-07-09"]]
    result = run(ledger_url, "import", str(workbook(tmp_path / "u.xlsx", more)), "--suite", str(suite))
    assert result.exit_code == 1 and "区域不在本中心区域列表" in result.stdout


def _suite(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "suite.yaml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(("body", "line", "message"), [
    ("expectations:\n  - {type: expect_column_values_to_not_be_null, kwargs: {column: x}, colour: red}\n", 2,
     "unknown key 'colour'"),
    ("expectations:\n  - id: a\n    severity: fatal\n    type: expect_column_values_to_not_be_null\n", 3,
     "severity must be error or warning"),
    ("expectations:\n  - id: a\n    label: x\n", 2, "needs type:"),
    ("level: record\nexpectations:\n  - {id: a, type: expect_x}\n  - {id: a, type: expect_y}\n", 4,
     "id 'a' is already used"),
    ("level: county\nexpectations: []\n", 1, "level must be record or ledger"),
    ("suite: x\ncolour: red\nexpectations: []\n", 2, "unknown key 'colour'"),
    ("expectations:\n  - id: a\n    type: expect_column_values_to_not_be_null\n    kwargs: [column]\n", 4,
     "kwargs: must be a mapping"),
    ("expectations: [\n", 2, "not valid YAML"),
    ("include: ledger\nexpectations: []\n", 1, "includes a ledger suite into a record suite"),
    ("expectations:\n  - {id: a, type: expect_column_values_to_not_be_null, kwargs: {column: deal_fen}}\n"
     "  - {id: b, type: expect_column_values_to_not_be_null, kwargs: {column: deal_fen}}\n", 3, "repeats a"),
    # an argument at Great Expectations' default is the same expectation to GX (it keeps one of the two)
    ("expectations:\n  - {id: a, type: expect_column_values_to_be_between, kwargs: {column: deal_fen, min_value: 0}}\n"
     "  - {id: b, type: expect_column_values_to_be_between, kwargs: {column: deal_fen, min_value: 0, strict_min: false,"
     " mostly: 1.0}}\n", 3, "repeats a"),
])
def test_suite_file_errors_name_file_and_line(tmp_path: Path, body: str, line: int, message: str) -> None:
    from ggzy.rules.suites import load_suite

    assert_error_at(load_suite, _suite(tmp_path, body), line, message)


def test_suite_include_loop_and_missing_suite(tmp_path: Path) -> None:
    from ggzy.rules.suites import load_suite

    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("include: b.yaml\nexpectations: []\n", encoding="utf-8")
    b.write_text("include: a.yaml\nexpectations: []\n", encoding="utf-8")
    assert_error_at(load_suite, a, 1, "include loop")
    from ggzy.errors import InputError

    with pytest.raises(InputError, match="expectation suite not found; give its path or the name of a shipped one"):
        load_suite(tmp_path / "missing.yaml")


@pytest.mark.parametrize(("body", "message"), [
    ("expectations:\n  - {id: a, type: expect_columns_to_dance, kwargs: {column: deal_fen}}\n",
     "unknown Great Expectations type 'expect_columns_to_dance'"),
    ("expectations:\n  - {id: a, type: expect_column_values_to_be_between, kwargs: {colum: deal_fen}}\n",
     "bad arguments for expect_column_values_to_be_between"),
    # argument names the screen reads, a value it does not: GX builds the suite before anything is written
    ("expectations:\n  - {id: a, type: expect_column_values_to_be_between, kwargs: {column: deal_fen, "
     "min_value: [1, 2]}}\n", "bad arguments for expect_column_values_to_be_between"),
    ("expectations:\n  - {id: a, type: expect_column_values_to_not_be_null, kwargs: {column: no_such_column}}\n",
     "names column 'no_such_column', which a record-level suite does not have"),
])
def test_bad_suite_stops_check_and_import_with_exit_2(ledger_url: str, tmp_path: Path, body: str,
                                                      message: str) -> None:
    run(ledger_url, "init")
    run(ledger_url, "import", str(workbook(tmp_path / "t.xlsx", JULY)))
    suite = _suite(tmp_path, body)
    result = run(ledger_url, "check", "--suite", str(suite))
    assert result.exit_code == 2 and message in result.stderr and f"{suite}:2" in result.stderr
    before = json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"]
    more = [["政府采购", "分散采购", "CG-9", "01", "x", "市本级", "成交", 10, 9, "2022-07-09"]]
    result = run(ledger_url, "import", str(workbook(tmp_path / "u.xlsx", more)), "--suite", str(suite))
    assert result.exit_code == 2 and message in result.stderr
    assert json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"] == before  # nothing written


def test_import_refuses_a_ledger_level_suite(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    result = run(ledger_url, "import", str(workbook(tmp_path / "t.xlsx", JULY)), "--suite", "ledger")
    assert result.exit_code == 2 and "import runs record-level suites" in result.stderr


def test_duplicate_natural_keys_are_found_in_a_frame() -> None:
    """The ledger's unique index makes duplicates impossible there; the expectation is for frames that have
    not been posted (another centre's export, a suite run on a workbook)."""
    import datetime as dt

    import polars as pl
    from ggzy.rules.level_frames import record_frame
    from ggzy.rules.suites import load_suite
    from ggzy.rules.validation import run_suite

    rows = [{"id": i, "category": "procurement", "project_code": code, "section_code": "01", "status": "deal",
             "budget_fen": 100, "control_price_fen": None, "reserve_fen": None, "deal_fen": 90,
             "trade_date": dt.date(2022, 7, 1), "title": None, "source_file": "x.xlsx", "source_sheet": "明细",
             "source_row": i + 1} for i, code in enumerate(["A", "B", "A"])]
    findings = run_suite(record_frame(pl.DataFrame(rows)), load_suite(level="record"))
    (duplicate,) = [f for f in findings if f.expectation == "natural_key_unique"]
    assert not duplicate.success and [r["id"] for r in duplicate.records] == [0, 2]


def test_which_categories_have_which_rate_base_is_the_rule_files(ledger_url: str, tmp_path: Path) -> None:
    """A centre that computes savings on land sales (a budget, no reserve) says so in its rule file, and the
    ledger-level check of deals without a base follows it rather than a list written in the code."""
    land = [["土地使用权", None, f"TD-{i}", None, "宗地", "民和县", "成交", 2000, 2100, "2022-07-07"] for i in range(2)]
    run(ledger_url, "import", str(workbook(tmp_path / "land.xlsx", land)))
    (no_base,) = failed(check(ledger_url, code=1))["deals_have_base"]["records"]
    assert (no_base["category"], no_base["deals"], no_base["deals_with_base"]) == ("land", 2, 0)
    rules = tmp_path / "rules.yaml"
    rules.write_text("include: default\nmeasures:\n  savings:\n    sum: budget - deal\n    require: [budget]\n"
                     "    categories: [construction, procurement, land]\n", encoding="utf-8")
    assert "deals_have_base" not in failed(check(ledger_url, "--rules", str(rules), code=0))
