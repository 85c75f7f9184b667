"""Two columns claiming one amount (issue 19 review): never one kept and the other dropped in silence.

Columns scoring alike (中标金额 and 成交金额; 预算金额 in 元 beside 预算金额 in 万元) are a tie: each row takes the
first filled cell, a row where both are filled and differ beyond what they print is quarantined with both values.
A column scoring clearly less (合同金额 beside 中标价) is not used: its cells are compared with the amount the
record keeps, and a differing row is reported with file:sheet:row and stored, exit 1. Both on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from pathlib import Path

from ggzy.imports.headers import resolve_row
from ggzy.ledger.models import ImportTotal
from ggzy.ledger.store import make_engine
from sqlalchemy import select
from support import run

TIE = ("项目编号,项目名称,交易类别,预算金额(元),中标金额(元),成交金额(元),成交日期\n"
       "T1,甲,政府采购,100,90,80,2024-09-05\n"       # both filled, they differ: held
       "T2,乙,政府采购,100,90,,2024-09-05\n"         # one filled: that one
       "T3,丙,政府采购,100,,70,2024-09-05\n"         # the other filled: that one
       "T4,丁,政府采购,100,60,60.00,2024-09-05\n")   # both filled, equal: posted
UNITS = ("项目编号,项目名称,交易类别,预算金额(元),预算金额(万元),中标价(元),成交日期\n"
         "U1,甲,政府采购,1000000,90,800000,2024-09-05\n"         # 1,000,000 元 vs 900,000 元: held
         "U2,乙,政府采购,1000000,100,800000,2024-09-05\n"        # the same amount in two units: posted
         "U3,丙,政府采购,1234567,123.46,800000,2024-09-05\n"     # 万元 printed to 2 places: agrees within 50 元
         "U4,丁,政府采购,1234567,123.45,800000,2024-09-05\n")    # 1,234,500 元 is 67 元 off: held
WEAKER = ("项目编号,项目名称,交易类别,中标价(元),合同金额(元),成交日期\n"
          "W1,甲,政府采购,90,80,2024-09-05\n"     # differs: posted with 中标价, reported
          "W2,乙,政府采购,90,90,2024-09-05\n"     # agrees
          "W3,丙,政府采购,50,,2024-09-05\n")      # 合同金额 blank: nothing to compare


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _import(url: str, path: Path, *extra: str) -> tuple[int, dict, dict[str, dict], list[dict]]:
    result = run(url, "import", str(path), "--format", "json", *extra)
    data = json.loads(result.stdout)
    (item,) = data["files"]
    assert item["rows"] == item["posted"] + item["unchanged"] + item["quarantined"] + item["conflicts"]
    records = {r["project_code"]: r for r in json.loads(run(url, "records", "--format", "json").stdout)["records"]}
    held = json.loads(run(url, "quarantine", "--format", "json").stdout)["quarantine"]
    return result.exit_code, data, records, held


def test_a_tie_takes_the_filled_cell_and_holds_a_row_where_the_two_differ(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    path = _write(tmp_path, "tie.csv", TIE)
    code, data, records, held = _import(ledger_url, path)
    assert code == 1
    assert {k: r["deal_fen"] for k, r in records.items()} == {"T2": 9000, "T3": 7000, "T4": 6000}
    (row,) = held
    assert row["source_row"] == 2 and row["raw"]["中标金额(元)"] == "90" and row["raw"]["成交金额(元)"] == "80"
    assert "中标金额(元) says 90 元 and 成交金额(元) says 80 元" in row["reasons"]
    assert "成交金额(元): ignore" in row["reasons"]  # the fix is named
    assert data["shared_amounts"] == [{"file": "tie.csv", "sheet": "tie", "field": "deal",
                                       "headers": ["中标金额(元)", "成交金额(元)"]}]
    text = run(ledger_url, "import", "--dry-run", str(_write(tmp_path, "tie2.csv", TIE.replace("T", "X"))))
    assert "两列同一金额: tie2.csv, 工作表 tie2: 成交金额取自 中标金额(元), 成交金额(元)" in text.output
    # its held row's reason, translated on the terminal
    assert "中标金额(元) 为 90 元, 成交金额(元) 为 80 元: 两列同一金额却不一致" in text.output
    english = run(ledger_url, "--lang", "en", "import", "--dry-run", str(_write(tmp_path, "tie3.csv",
                                                                                TIE.replace("T", "Y")))).output
    assert "two columns for one amount: tie3.csv, sheet tie3: deal in 中标金额(元), 成交金额(元)" in english


def test_a_profile_line_leaves_one_of_the_tied_columns_out(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    profile = _write(tmp_path, "p.yaml", "columns:\n  成交金额(元): ignore\n")
    code, data, records, held = _import(ledger_url, _write(tmp_path, "tie.csv", TIE), "--profile", str(profile))
    assert code == 1 and len(held) == 1 and held[0]["source_row"] == 4  # T3: 中标金额 blank, 成交金额 left out
    assert {k: r["deal_fen"] for k, r in records.items()} == {"T1": 9000, "T2": 9000, "T4": 6000}
    assert data["shared_amounts"] == []


def test_one_amount_in_two_units_agrees_to_the_printed_precision(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    code, _data, records, held = _import(ledger_url, _write(tmp_path, "units.csv", UNITS))
    assert code == 1
    assert {k: r["budget_fen"] for k, r in records.items()} == {"U2": 100_000_000, "U3": 123_456_700}
    assert sorted(h["source_row"] for h in held) == [2, 5]
    assert all("预算金额(元) says" in h["reasons"] and "预算金额(万元) says" in h["reasons"] for h in held)


def test_a_weaker_column_is_compared_row_by_row_and_the_difference_stored(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    path = _write(tmp_path, "weaker.csv", WEAKER)
    code, data, records, held = _import(ledger_url, path)
    assert code == 1 and held == []
    assert {k: r["deal_fen"] for k, r in records.items()} == {"W1": 9000, "W2": 9000, "W3": 5000}
    (difference,) = [t for t in data["files"][0]["totals"] if t["status"] != "ok"]
    assert (difference["sheet"], difference["row"], difference["column"]) == ("weaker", 2, "合同金额(元)")
    assert (difference["stated"], difference["rows_sum"], difference["difference"]) == ("80", "90.00", "-10.00")
    with make_engine(ledger_url).connect() as conn:
        stored = conn.execute(select(ImportTotal.source_row, ImportTotal.column_name, ImportTotal.status)).all()
    assert [tuple(s) for s in stored] == [(2, "合同金额(元)", "difference")]
    second = _write(tmp_path, "weaker2.csv", WEAKER.replace("W", "V"))
    text = run(ledger_url, "import", str(second))
    assert text.exit_code == 1
    assert (f"第二列不符: {second}:weaker2:2: 合同金额(元) 写明 80, 记录取 中标价(元) 的 90.00 元(相差 -10.00)"
            in text.output)
    third = _write(tmp_path, "weaker3.csv", WEAKER.replace("W", "U"))
    english = run(ledger_url, "--lang", "en", "import", "--dry-run", str(third)).output
    assert (f"second column differs: {third}:weaker3:2: 合同金额(元) states 80, the record keeps 90.00 元 from "
            "中标价(元)") in english
    explained = run(ledger_url, "import", "--explain", "--dry-run", str(path)).output
    assert "合同金额(元) → not used (compared with deal)" in explained


def test_how_columns_claiming_one_amount_are_settled() -> None:
    """The decision itself: scores alike → a tie, both used; clearly less → compared, not used."""
    tie = resolve_row(["项目编号", "中标金额(元)", "成交金额(元)", "成交日期"])
    assert [(d.field, d.status) for d in tie[1:3]] == [("deal", "synonym"), ("deal", "synonym")]
    assert "a tie" in tie[1].reason
    weaker = resolve_row(["项目编号", "中标价(元)", "合同金额(元)", "成交日期"])
    assert (weaker[2].field, weaker[2].status, weaker[2].compare) == (None, "compared", "deal")
    assert "中标价(元) holds deal with a higher score" in weaker[2].reason
    # 控制价/预算金额 (0.80) beside 预算金额 (1.00): compared; 预算金额 beside 采购预算 (both 1.00): a tie
    mixed = resolve_row(["项目编号", "预算金额", "控制价/预算金额", "采购预算", "中标价(元)"])
    assert [(d.field, d.status) for d in mixed[1:4]] == [("budget", "synonym"), (None, "compared"),
                                                          ("budget", "synonym")]
    # two bases of different roles are no tie: 控制价 and 预算 are both kept, each its own field
    roles = resolve_row(["项目编号", "预算金额(元)", "最高限价(元)", "中标价(元)"])
    assert [d.field for d in roles[1:4]] == ["budget", "control_price", "deal"]


def test_a_total_row_of_each_tied_column_sums_that_column(ledger_url: str, tmp_path: Path) -> None:
    """合计 under 中标金额 sums the 中标金额 cells, the one under 成交金额 the 成交金额 cells (the held row's too)."""
    run(ledger_url, "init")
    path = _write(tmp_path, "tie.csv", TIE + "合计,,,400,240,210,\n")
    code, data, _records, held = _import(ledger_url, path)
    assert code == 1 and len(held) == 1  # the row whose two cells differ, as before
    totals = {t["column"]: (t["stated"], t["rows_sum"], t["status"]) for t in data["files"][0]["totals"]}
    assert totals == {"预算金额(元)": ("400", "400.00", "ok"), "中标金额(元)": ("240", "240.00", "ok"),
                      "成交金额(元)": ("210", "210.00", "ok")}


def test_a_weaker_column_filled_where_the_stronger_is_blank_is_reported_then_mapped(ledger_url: str,
                                                                                    tmp_path: Path) -> None:
    """预算金额 blank, 控制价/预算金额 filled: the record keeps no budget and the row is reported (not silent); a
    profile line mapping 控制价/预算金额 to budget makes the two a tie, the filled cell counting."""
    run(ledger_url, "init")
    text = ("项目编号,项目名称,交易类别,预算金额(元),控制价/预算金额(元),中标价(元),成交日期\n"
            "B1,甲,政府采购,100,100,90,2024-09-05\n"
            "B2,乙,政府采购,,500,450,2024-09-05\n")
    code, data, records, _held = _import(ledger_url, _write(tmp_path, "blank.csv", text))
    assert code == 1 and {k: r["budget_fen"] for k, r in records.items()} == {"B1": 10000, "B2": None}
    (entry,) = [t for t in data["files"][0]["totals"] if t["status"] != "ok"]
    assert (entry["row"], entry["stated"], entry["rows_sum"]) == (3, "500", "")
    printed = run(ledger_url, "import", str(_write(tmp_path, "blank2.csv", text.replace("B", "C")))).output
    assert "控制价/预算金额(元) 写明 500, 记录未取值: 预算金额(元) 在此为空" in printed
    profile = _write(tmp_path, "p.yaml", "columns:\n  控制价/预算金额(元): budget\n")
    code, data, records, _held = _import(ledger_url, _write(tmp_path, "blank3.csv", text.replace("B", "D")),
                                         "--profile", str(profile))
    assert code == 0 and records["D2"]["budget_fen"] == 50000 and data["shared_amounts"][0]["field"] == "budget"
