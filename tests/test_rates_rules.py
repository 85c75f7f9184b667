"""Rates are ratios of sums; rule files change what a measure means; rule-file errors name file:line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ggzy.errors import InputError
from ggzy.rules.engine import load_rules
from support import EXAMPLES, HEADER, assert_error_at, run, workbook

# two procurement deals: 10% saved on a small one, 0% on a large one
ROWS = [["政府采购", "分散采购", "A", "1", "x", "甲县", "成交", 1_000_000, 900_000, "2022-07-01"],
        ["政府采购", "分散采购", "B", "1", "x", "乙县", "成交", 99_000_000, 99_000_000, "2022-08-01"],
        ["政府采购", "分散采购", "C", "1", "x", "乙县", "流标", 5_000_000, None, "2022-08-02"],
        ["土地使用权", None, "L", "1", "x", "甲县", "成交", None, 1_000, "2022-08-03"]]


def rates(url: str, *args: str) -> dict:
    result = run(url, "rates", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_savings_rate_is_a_ratio_of_sums_not_a_mean(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "import", str(workbook(tmp_path / "r.xlsx", ROWS)))
    data = rates(ledger_url, "--by", "category", "--unit", "元")
    procurement = next(r for r in data["rows"] if r["category"] == "procurement")
    assert procurement["count"] == 3 and procurement["deals"] == 2  # 流标 counts, but is not a deal
    assert procurement["budget"] == "100000000.00"  # deals only: the failed tender's budget is left out
    assert procurement["savings_rate"] == "0.10%"  # 100000 / 100000000, not the mean (10% + 0%) / 2 = 5%
    land = next(r for r in data["rows"] if r["category"] == "land")
    assert land["savings_rate"] is None and land["premium_rate"] is None  # no base: unknown, not 0%
    assert land["premium_missing"] == 1


def test_rates_by_region_and_month_and_table_dash(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    run(ledger_url, "import", str(workbook(tmp_path / "r.xlsx", ROWS)))
    data = rates(ledger_url, "--by", "region,month", "--category", "政府采购")
    assert [(r["region"], r["month"]) for r in data["rows"]] == [("乙县", "2022-08"), ("甲县", "2022-07")]
    table = run(ledger_url, "rates", "--category", "土地使用权")
    assert "—" in table.output and "0.00%" not in table.output
    assert run(ledger_url, "rates", "--by", "colour").exit_code == 2


def test_rule_file_changes_the_base_of_a_rate(ledger_url: str, tmp_path: Path) -> None:
    """One city divides savings by the deal amount: a rule file says so, with include of the defaults."""
    run(ledger_url, "init")
    run(ledger_url, "import", str(workbook(tmp_path / "r.xlsx", ROWS)))
    default = Path(load_rules().source)
    rules = tmp_path / "city.yaml"
    rules.write_text(f"include: {default}\nmeasures:\n  savings_rate:\n    ratio: savings / amount\n", encoding="utf-8")
    data = rates(ledger_url, "--rules", str(rules), "--category", "政府采购", "--unit", "元")
    # 100000 / 99900000 = 0.1001% → 0.10%; and the measure is still a ratio of sums
    assert data["rows"][0]["savings_rate"] == "0.10%"
    rules.write_text(f"include: {default}\nmeasures:\n  savings_rate:\n    ratio: savings / budget\n"
                     "  savings:\n    sum: budget - deal\n    categories: [construction]\n", encoding="utf-8")
    data = rates(ledger_url, "--rules", str(rules), "--category", "政府采购")
    assert data["rows"][0]["savings_rate"] == "0.00%"


@pytest.mark.parametrize(("body", "line", "message"), [
    ("measures:\n  x:\n    sum: budget -\n", 3, "not readable"),
    ("measures:\n  x:\n    sum: __import__('os')\n", 3, "only abs(x) may be called"),
    ("measures:\n  x:\n    sum: deal / 2\n", 3, "not allowed"),
    ("measures:\n  x:\n    sum: price\n", 3, "unknown field 'price'"),
    ("measures:\n  x:\n    sum: deal; DROP TABLE trade_record\n", 3, "not readable"),
    ("measures:\n  x:\n    ratio: a / b\n", 3, "not a sum measure"),
    ("measures:\n  x:\n    ratio: savings\n", 3, "must be `measure / measure`"),
    ("measures:\n  x:\n    sum: deal\n    statuses: [won]\n", 4, "unknown status 'won'"),
    ("measures:\n  x:\n    sum: deal\n    categories: [火星]\n", 4, "unknown category"),
    ("measures:\n  x:\n    sum: deal\n    colour: red\n", 4, "unknown setting 'colour'"),
    ("measures:\n  x:\n    sum: deal\n    require: [price]\n", 4, "unknown field 'price'"),
    ("measures:\n  x:\n    sum: deal\n    ratio: a / b\n", 2, "exactly one of"),
    ("measure:\n  x: {}\n", 1, "unknown setting 'measure'"),
    ("include: nowhere.yaml\n", 1, "not found"),
    ("measures:\n  x:\n    sum: deal\n   bad: indent\n", 4, "not valid YAML"),
    ("measures:\n  x:\n    sum: deal\n    format: number\n", 4, "applies to ratio: measures only"),
    ("measures:\n  a:\n    sum: deal\n  x:\n    ratio: a / a\n    format: permille\n", 6, "format 'permille'"),
    ("measures:\n  x:\n    sum: bidder\n", 3, "unknown field 'bidder'"),
])
def test_rule_file_errors_name_file_line_and_fix(tmp_path: Path, body: str, line: int, message: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(body, encoding="utf-8")
    assert_error_at(load_rules, path, line, message)


def test_include_loop_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("include: b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("include: a.yaml\n", encoding="utf-8")
    with pytest.raises(InputError, match="include loop"):
        load_rules(tmp_path / "a.yaml")


def test_bad_rule_file_on_the_command_line_exits_2(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    path = tmp_path / "rules.yaml"
    path.write_text("measures:\n  x:\n    sum: deal +\n", encoding="utf-8")
    result = run(ledger_url, "rates", "--rules", str(path))
    assert result.exit_code == 2 and f"{path}:3:" in result.stderr
    result = run(ledger_url, "reconcile", str(EXAMPLES / "haidong-2022Q3" / "published.yaml"), "--rules", str(path))
    assert result.exit_code == 2


def test_header_of_rates_table_is_chinese(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    run(ledger_url, "import", str(workbook(tmp_path / "r.xlsx", ROWS)))
    out = run(ledger_url, "rates", "--format", "csv").stdout.splitlines()
    assert out[0].startswith("类别,交易数,成交数,成交金额(万元)")
    assert out[-1].startswith("合计,4,3,")
    assert HEADER  # the same workbook layout as the import tests


def test_a_rule_file_includes_a_shipped_one_by_bare_name(tmp_path: Path) -> None:
    """One include mechanism for rule and suite files: a bare name is a shipped file, a path is relative."""
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text("include: default\nmeasures:\n  savings_rate:\n    ratio: savings / amount\n",
                          encoding="utf-8")
    rules = load_rules(rules_file)
    assert rules.measures["savings_rate"].ratio == ("savings", "amount")
    assert "budget" in rules.measures and rules.sources[-1] == str(rules_file)
    (tmp_path / "default.yaml").write_text("measures:\n  amount:\n    sum: deal\n", encoding="utf-8")
    assert "budget" in load_rules(rules_file).measures  # a bare name is the shipped file
    rules_file.write_text("include: default.yaml\nmeasures: {}\n", encoding="utf-8")
    assert "budget" not in load_rules(rules_file).measures  # a file name: the file beside it comes first
