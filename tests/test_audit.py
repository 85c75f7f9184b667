"""Corrections without edits, closed periods, and a hash chain that shows tampering (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from support import GOOD, run, workbook


@pytest.fixture
def ledger(ledger_url: str, tmp_path: Path) -> str:
    run(ledger_url, "init")
    assert run(ledger_url, "import", str(workbook(tmp_path / "july.xlsx", GOOD))).exit_code == 0
    return ledger_url


def records(url: str, *args: str) -> dict[str, dict]:
    listed = json.loads(run(url, "records", "--format", "json", *args).stdout)["records"]
    return {r["project_code"]: r for r in listed}


def total(url: str, measure: str) -> object:
    return json.loads(run(url, "rates", "--by", "", "--unit", "元", "--format", "json").stdout)["rows"][0][measure]


def sql(url: str, statement: str) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()


def verify(url: str) -> tuple[int, dict]:
    result = run(url, "verify", "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def test_amend_appends_a_version_that_queries_and_measures_see(ledger: str) -> None:
    record_id = records(ledger)["CG-001"]["id"]
    assert total(ledger, "amount") == "13295679.40"
    result = run(ledger, "amend", str(record_id), "--set", "deal=900000", "--set", "region=平安区",
                 "--reason", "合同金额更正", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["changes"] == {"region": ["市本级", "平安区"], "deal_fen": [95000050, 90000000]}
    amended = records(ledger)["CG-001"]
    assert (amended["deal_fen"], amended["region"], amended["id"]) == (90_000_000, "平安区", record_id)
    assert total(ledger, "amount") == "13245678.90"  # the totals follow: 950,000.50 → 900,000
    assert list(records(ledger, "--region", "平安区")) == ["CG-001"]
    versions = json.loads(run(ledger, "history", str(record_id), "--format", "json").stdout)["versions"]
    assert [v["kind"] for v in versions] == ["posted", "amend"]
    assert versions[0]["values"]["deal_fen"] == 95_000_050 and versions[0]["source"] == "july.xlsx:明细:2"
    assert (versions[1]["operator"], versions[1]["reason"]) == ("tester", "合同金额更正")
    assert verify(ledger) == (0, {"links": 2, "ok": True, "breaks": []})


def test_void_takes_a_record_out_and_keeps_it(ledger: str) -> None:
    record_id = records(ledger)["GC-001"]["id"]
    assert run(ledger, "void", str(record_id), "--reason", "重复录入").exit_code == 0
    assert "GC-001" not in records(ledger) and total(ledger, "count") == 2
    history = json.loads(run(ledger, "history", str(record_id), "--format", "json").stdout)["versions"]
    assert [v["kind"] for v in history] == ["posted", "void"]
    result = run(ledger, "amend", str(record_id), "--set", "deal=1", "--reason", "x")
    assert result.exit_code == 2 and "was voided" in result.stderr
    assert verify(ledger)[0] == 0


@pytest.mark.parametrize(("args", "message"), [
    (["999", "--set", "deal=1"], "no record with ID 999"),
    (["{id}", "--set", "colour=red"], "unknown field; amendable:"),
    (["{id}", "--set", "deal=约九十万"], "--set deal=约九十万"),
    (["{id}", "--set", "trade_date=七月"], "--set trade_date=七月"),
    (["{id}", "--set", "status=成功"], "unknown status"),
    (["{id}", "--set", "project_code=X"], "natural key"),
    (["{id}", "--set", "deal"], "write NAME=VALUE"),
    (["{id}", "--set", "deal=950000.50"], "already has these values"),
    (["{id}", "--set", "deal=1", "--unit", "美元"], "'美元' is not one of"),
])
def test_bad_amendments_exit_2_and_write_nothing(ledger: str, args: list[str], message: str) -> None:
    record_id = records(ledger)["CG-001"]["id"]
    result = run(ledger, "amend", *[a.format(id=record_id) for a in args], "--reason", "x")
    assert result.exit_code == 2 and message in result.stderr, result.output
    assert len(json.loads(run(ledger, "history", str(record_id), "--format", "json").stdout)["versions"]) == 1
    assert verify(ledger) == (0, {"links": 1, "ok": True, "breaks": []})


def test_closed_month_refuses_imports_amendments_and_voids(ledger: str, tmp_path: Path) -> None:
    record_id = records(ledger)["CG-001"]["id"]
    assert run(ledger, "close", "2022Q3").stdout.startswith("已结账: 2022-07, 2022-08, 2022-09")
    late = [["政府采购", "分散采购", "CG-LATE", "01", "补录", "市本级", "成交", 100, 90, "2022-07-30"]]
    result = run(ledger, "import", str(workbook(tmp_path / "late.xlsx", late)))
    assert result.exit_code == 1 and "touches 2022-07, which tester closed" in result.stderr
    assert "ggzy reopen 2022-07 --reason" in result.stderr
    assert "CG-LATE" not in records(ledger)
    assert json.loads(run(ledger, "quarantine", "--all", "--format", "json").stdout)["quarantine"] == []
    for command in (["amend", str(record_id), "--set", "deal=1"], ["void", str(record_id)]):
        result = run(ledger, *command, "--reason", "x")
        assert result.exit_code == 1 and "closed" in result.stderr
    # moving a record INTO a closed month is refused too
    june = [["政府采购", "分散采购", "CG-JUNE", "01", "x", "市本级", "成交", 100, 90, "2022-06-30"]]
    run(ledger, "import", str(workbook(tmp_path / "june.xlsx", june)))
    june_id = records(ledger)["CG-JUNE"]["id"]
    assert run(ledger, "amend", str(june_id), "--set", "trade_date=2022-07-01", "--reason", "x").exit_code == 1
    assert run(ledger, "reopen", "2022-07").exit_code == 2  # --reason is required
    assert run(ledger, "reopen", "2022-07", "--reason", "审计调整").exit_code == 0
    assert run(ledger, "import", str(workbook(tmp_path / "late.xlsx", late))).exit_code == 0
    assert run(ledger, "void", str(record_id), "--reason", "x").exit_code == 0
    assert verify(ledger)[0] == 0


def test_close_stores_the_chain_head(ledger: str) -> None:
    from ggzy.ledger.closing import period_events
    from ggzy.ledger.store import make_engine

    run(ledger, "close", "2022-07", "--reason", "月结")
    engine = make_engine(ledger)
    with engine.connect() as conn:
        (event,) = period_events(conn)
        links = conn.execute(text("SELECT link FROM chain_link ORDER BY id")).scalars().all()
    assert (event.action, event.reason, event.operator) == ("close", "月结", "tester")
    assert event.digest == links[0] and len(links) == 2  # the batch's link was the head; the close is a link


@pytest.mark.parametrize(("tamper", "where"), [
    ("UPDATE trade_record SET deal_fen = deal_fen + 1 WHERE project_code = 'CG-001'", "chain link 1 (batch 1)"),
    ("UPDATE trade_record SET region = '平安区', content_sha256 = 'x' WHERE project_code = 'CG-001'",
     "chain link 1 (batch 1)"),
    ("DELETE FROM record_total WHERE category = 'land'", "record_total"),
    ("UPDATE import_batch SET operator = 'mallory'", "chain link 1 (batch 1)"),
    ("UPDATE record_amendment SET reason = '无'", "chain link 2 (amendment 1)"),
    ("DELETE FROM chain_link WHERE id = 2", "chain link 3 (period"),
    ("UPDATE period_event SET action = 'reopen'", "chain link 3 (period 1)"),
])
def test_verify_names_the_first_broken_link(ledger: str, tamper: str, where: str) -> None:
    record_id = records(ledger)["GC-001"]["id"]
    run(ledger, "amend", str(record_id), "--set", "winner=某公司", "--reason", "补充中标人")
    run(ledger, "close", "2022-07")
    assert verify(ledger)[0] == 0
    sql(ledger, tamper)
    code, report = verify(ledger)
    assert code == 1 and not report["ok"]
    assert report["breaks"][0]["where"].startswith(where), report
    if "deal_fen + 1" in tamper:
        assert "record 1 (july.xlsx:明细:2) was changed after posting" in report["breaks"][0]["detail"]
    text_result = run(ledger, "verify")
    assert text_result.exit_code == 1 and "第一处断点:" in text_result.stdout


def test_operator_is_recorded_on_batches_amendments_and_reconciliations(ledger: str, tmp_path: Path) -> None:
    from ggzy.ledger.store import make_engine

    record_id = records(ledger)["CG-001"]["id"]
    run(ledger, "amend", str(record_id), "--set", "winner=甲公司", "--reason", "r")
    published = tmp_path / "p.yaml"
    published.write_text("period: 2022-07\nfigures:\n  - {count: 3}\n", encoding="utf-8")
    run(ledger, "reconcile", str(published))
    with make_engine(ledger).connect() as conn:
        operators = {table: conn.execute(text(f"SELECT operator FROM {table}")).scalars().all()
                     for table in ("import_batch", "record_amendment", "reconciliation_run")}
    assert operators == {"import_batch": ["tester"], "record_amendment": ["tester"], "reconciliation_run": ["tester"]}


# --- what the audit trail says (review of issue 15) ------------------------------------------------------------


def test_a_conflict_names_the_fields_that_differ_with_both_values_once(ledger: str, tmp_path: Path) -> None:
    """Not "conflict: … conflict: record 1 …": the line says conflict once and names each field that differs, with
    the ledger's value and the row's, money in 元 — in Chinese labels by default, the ledger's words in English."""
    rows = [list(r) for r in GOOD]
    rows[1][4], rows[1][8] = "综合楼二期", 12_000_000
    corrected = workbook(tmp_path / "corrected.xlsx", rows)
    zh = run(ledger, "import", str(corrected))
    assert zh.exit_code == 1
    (line,) = [line for line in zh.stdout.splitlines() if "corrected.xlsx, 工作表" in line]
    assert line.strip() == ("冲突: corrected.xlsx, 工作表 明细 第 3 行: 同键 GC-001/01 (工程建设) 的记录 2 已入账, "
                            "取值不同(台账 → 本行: 项目名称 综合楼 → 综合楼二期, 成交金额 12,345,678.90 元 → "
                            "12,000,000.00 元): 请更正该记录, 或作废后重新导入本行(成为该记录的下一版本), 不会覆盖")
    (held,) = json.loads(run(ledger, "quarantine", "--format", "json").stdout)["quarantine"]
    assert held["reasons"] == ("record 2 with the same key GC-001/01 (工程建设) is already posted with other values "
                               "(ledger → this row: name 综合楼 → 综合楼二期, deal 12,345,678.90 元 → 12,000,000.00 "
                               "元): amend it, or void it and import this row again (it then becomes the record's "
                               "next version), never overwrite")
    en = run(ledger, "--lang", "en", "import", str(workbook(tmp_path / "again.xlsx", rows, sheet="再次")))
    (line,) = [line for line in en.stdout.splitlines() if "again.xlsx, sheet" in line]
    assert line.count("conflict") == 1 and "deal 12,345,678.90 元 → 12,000,000.00 元" in line
    # two rows of one file with the same key: that row → this row
    twice = [GOOD[0], [*GOOD[0][:2], "CG-002", *GOOD[0][3:]], [*GOOD[0][:2], "CG-002", *GOOD[0][3:8], 1, GOOD[0][9]]]
    item = json.loads(run(ledger, "import", str(workbook(tmp_path / "twice.xlsx", twice)), "--format",
                          "json").stdout)["files"][0]
    assert item["conflicts"] == 1
    reasons = [e["reasons"] for e in json.loads(run(ledger, "quarantine", "--format", "json").stdout)["quarantine"]
               if e["source_file"] == "twice.xlsx"]
    assert reasons == ["sheet 明细 row 3 of this file has the same key CG-002/01 (政府采购) with other values "
                       "(that row → this row: deal 950,000.50 元 → 1.00 元): a re-published award? Keep the right one: "
                       "`ggzy resolve` this held row if that row is right, or `ggzy amend` the record that row posted "
                       "and import the file again if this one is"]


def test_history_shows_money_in_yuan_with_chinese_labels(ledger: str, tmp_path: Path) -> None:
    record_id = records(ledger)["GC-001"]["id"]
    run(ledger, "void", str(record_id), "--reason", "更正")
    rows = [list(r) for r in GOOD]
    rows[1][8] = 12_000_000
    run(ledger, "import", str(workbook(tmp_path / "corrected.xlsx", rows)))
    run(ledger, "amend", str(record_id), "--set", "deal=1200.5", "--unit", "万元", "--reason", "按合同")
    shown = run(ledger, "history", str(record_id)).stdout
    flat = "".join(shown.split())
    assert "作废后同键行再次导入(批次2)" in flat and "成交金额(元)12,345,678.90→12,000,000.00" in flat
    assert "成交金额(万元)1,200.00→1,200.50" in flat and "deal_fen" not in shown


def test_json_echoes_a_typed_period_in_the_ledger_s_form(ledger: str, tmp_path: Path) -> None:
    assert json.loads(run(ledger, "check", "--period", "202207", "--format", "json").stdout)["period"] == "2022-07"
    assert json.loads(run(ledger, "check", "--period", "2022年三季度", "--format", "json").stdout)["period"] == \
        "2022Q3"
    published = tmp_path / "published.yaml"
    published.write_text("period: 2022年7月\nunit: 元\nfigures:\n  - {category: 工程建设, count: 1}\n"
                         "  - {category: 政府采购, count: 1, period: 202207}\n", encoding="utf-8")
    results = json.loads(run(ledger, "reconcile", str(published), "--format", "json").stdout)["results"]
    assert [r["scope"]["period"] for r in results] == ["2022-07", "2022-07"]


def test_a_missing_batch_and_a_file_with_no_figures_say_so(ledger: str, tmp_path: Path) -> None:
    missing = run(ledger, "quarantine", "--batch", "999")
    assert missing.exit_code == 2 and "no import batch 999" in missing.stderr and missing.stdout == ""
    empty = tmp_path / "empty.yaml"
    empty.write_text("period: 2022-07\nunit: 元\nfigures: []\n", encoding="utf-8")
    result = run(ledger, "reconcile", str(empty))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip().count("\n") == 0 and "no figures to reconcile" in result.stderr
    assert f"{empty}" in result.stderr
