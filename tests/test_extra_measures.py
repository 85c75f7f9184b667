"""Extra measures a centre publishes (增效节资, average bidders): defined in a rule file, not in code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import run, workbook

HEADER = ["交易类别", "项目编号", "交易状态", "预算金额(元)", "底价(元)", "成交金额(元)", "投标人数", "成交日期"]
ROWS = [
    ["政府采购", "P-1", "成交", 1000, None, 900, 5, "2022-07-01"],      # saves 100, 5 bidders
    ["工程建设", "C-1", "成交", 2000, None, 2100, "3家", "2022-07-02"],  # 100 over budget, 3 bidders
    ["土地使用权", "L-1", "成交", None, 5000, 5600, None, "2022-07-03"],  # premium 600, bidders unknown
    ["政府采购", "P-2", "流标", 800, None, None, 0, "2022-07-04"],        # failed: counts for nothing here
]


def rates(url: str, *args: str) -> dict:
    result = run(url, "rates", "--format", "json", "--unit", "元", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def ledger(ledger_url: str, tmp_path: Path) -> str:
    run(ledger_url, "init")
    result = run(ledger_url, "import", str(workbook(tmp_path / "x.xlsx", ROWS, header=HEADER)), "--no-check")
    assert result.exit_code == 0, result.output
    return ledger_url


def test_efficiency_and_average_bidders_from_the_extras_rule_file(ledger: str) -> None:
    (row,) = rates(ledger, "--rules", "extras", "--by", "")["rows"]
    # 增效节资 = (1000-900) + (2000-2100) + (5600-5000) = 600, signed
    assert row["efficiency"] == "600.00"
    # bidders per award that says how many bid: (5 + 3) / 2 deals — the failed P-2 and unknown L-1 are not in it
    assert (row["bidders"], row["bid_awards"], row["average_bidders"]) == (8, 2, "4.00")
    assert row["savings_rate"] == "0.00%"  # (100 - 100) / 3000: the default measures are still there


def test_average_is_a_dash_when_no_award_says_how_many_bid(ledger: str) -> None:
    data = rates(ledger, "--rules", "extras", "--category", "土地使用权", "--by", "")
    row = data["rows"][0]
    assert row["average_bidders"] is None and row["efficiency"] == "600.00"


def test_bidders_that_are_not_a_number_are_held(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    rows = [["政府采购", "P-9", "成交", 10, None, 9, "三家", "2022-07-01"]]
    result = run(ledger_url, "import", str(workbook(tmp_path / "b.xlsx", rows, header=HEADER)), "--format", "json")
    assert result.exit_code == 1
    (held,) = json.loads(run(ledger_url, "quarantine", "--format", "json").stdout)["quarantine"]
    assert "bidders: '三家' is not a whole number" in held["reasons"]


def test_published_extra_measures_reconcile(ledger: str, tmp_path: Path) -> None:
    published = tmp_path / "p.yaml"
    published.write_text("period: 2022-07\nunit: 元\nfigures:\n"
                         "  - {efficiency: 600, average_bidders: 4.0}\n"
                         "  - {category: 政府采购, average_bidders: 5.1}\n", encoding="utf-8")
    result = run(ledger, "reconcile", str(published), "--rules", "extras", "--format", "json")
    assert result.exit_code == 1, result.output
    results = {(r["figure"], r["measure"]): r for r in json.loads(result.stdout)["results"]}
    assert results[(1, "efficiency")]["status"] == "ok"
    assert results[(1, "average_bidders")]["status"] == "ok"
    assert (results[(1, "average_bidders")]["low"], results[(1, "average_bidders")]["high"]) == ("3.95", "4.05")
    assert results[(2, "average_bidders")]["status"] == "discrepancy"  # 5.00 is outside [5.05, 5.15)
    assert results[(2, "average_bidders")]["ledger"] == "5.000"


def test_an_average_is_not_a_percentage(ledger: str, tmp_path: Path) -> None:
    published = tmp_path / "p.yaml"
    published.write_text("period: 2022-07\nfigures:\n  - {average_bidders: 4%}\n", encoding="utf-8")
    result = run(ledger, "reconcile", str(published), "--rules", "extras")
    assert result.exit_code == 2 and "is an average, not a percentage" in result.stderr and "p.yaml:3" in result.stderr


def test_an_unknown_rule_file_name_lists_the_shipped_ones(ledger: str) -> None:
    result = run(ledger, "rates", "--rules", "extra")
    assert result.exit_code == 2 and "name of a shipped one (default, extras)" in result.stderr
