"""What a new user met in a first month (an accountant's own workbook, then an auditor's published figures): each
test is a message or a figure that misled or stopped them, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from support import GOOD, run, table_rows, workbook

# two rows of one file with one key (a re-published award), the second with another amount
TWICE = [GOOD[0], [*GOOD[0][:8], "960,000.00", GOOD[0][9]]]


def _held(ledger: str) -> list[dict]:
    return json.loads(run(ledger, "quarantine", "--format", "json").stdout)["quarantine"]


def test_a_repeated_row_says_how_to_keep_either_one_and_resolve_finds_its_record(ledger_url: str,
                                                                               tmp_path: Path) -> None:
    run(ledger_url, "init")
    result = run(ledger_url, "import", str(workbook(tmp_path / "twice.xlsx", TWICE)))
    assert result.exit_code == 1
    (line,) = [x for x in result.stdout.splitlines() if "冲突:" in x]
    assert "请保留正确的一行: 该行正确则 `ggzy resolve` 本隔离行, 本行正确则用 `ggzy amend`" in line
    (held,) = _held(ledger_url)
    assert held["reasons"].endswith("Keep the right one: `ggzy resolve` this held row if that row is right, or "
                                    "`ggzy amend` the record that row posted and import the file again if this one is")
    # 'that row is right': resolve needs no --record, the record under the key is the one the first row posted
    done = run(ledger_url, "resolve", str(held["id"]), "--reason", "第2行为准", "--format", "json")
    assert done.exit_code == 0, done.output
    (record,) = json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"]
    assert json.loads(done.stdout)["record_id"] == record["id"] and _held(ledger_url) == []
    assert run(ledger_url, "verify").exit_code == 0


def test_this_row_is_right_amend_then_import_again_settles_it(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    path = workbook(tmp_path / "twice.xlsx", TWICE)
    run(ledger_url, "import", str(path))
    (record,) = json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"]
    amended = run(ledger_url, "amend", str(record["id"]), "--set", "deal=96", "--unit", "万元", "--reason", "第3行为准")
    assert amended.exit_code == 0, amended.output
    again = json.loads(run(ledger_url, "import", str(path), "--format", "json").stdout)["files"][0]
    assert again["resolved"] == 1 and _held(ledger_url) == []


def test_a_resolve_of_a_repeated_row_whose_record_was_voided_still_asks_for_the_record(ledger_url: str,
                                                                                       tmp_path: Path) -> None:
    run(ledger_url, "init")
    run(ledger_url, "import", str(workbook(tmp_path / "twice.xlsx", TWICE)))
    (record,) = json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"]
    assert run(ledger_url, "void", str(record["id"]), "--reason", "重复").exit_code == 0
    (held,) = _held(ledger_url)
    refused = run(ledger_url, "resolve", str(held["id"]), "--reason", "x")
    assert refused.exit_code == 2 and "names no record" in refused.stderr


def test_an_import_names_its_failed_expectations_in_the_users_language(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    path = workbook(tmp_path / "twice.xlsx", TWICE)
    en = run(ledger_url, "--lang", "en", "import", str(path), "--dry-run")
    assert "  error: " in en.stdout and "2 record(s), e.g. twice.xlsx:明细:2" in en.stdout
    zh = run(ledger_url, "import", str(path))
    assert "  错误: " in zh.stdout and " 2 条记录, 例如 twice.xlsx:明细:2, twice.xlsx:明细:3" in zh.stdout
    assert "record(s)" not in zh.stdout


PUBLISHED = """\
title: 测试
period: 2022-07
unit: 万元
figures:
  - {category: 政府采购, amount: 95.00}
  - {category: 工程建设, amount: 1234.57}
  - {count: 3, amount: 1000}
  - {category: 政府采购, budget: 100, savings: 7, savings_rate: 5.00%}
"""


def test_published_figures_that_contradict_each_other_are_explained_in_chinese(ledger_url: str,
                                                                              tmp_path: Path) -> None:
    run(ledger_url, "init")
    run(ledger_url, "import", str(workbook(tmp_path / "m.xlsx", GOOD)))
    published = tmp_path / "p.yaml"
    published.write_text(PUBLISHED, encoding="utf-8")
    out = tmp_path / "r.xlsx"
    result = run(ledger_url, "reconcile", str(published), "--report", str(out))
    assert result.exit_code == 1
    lines = [x for x in result.stdout.splitlines() if x.startswith("公布数据自相矛盾")]
    assert any("第 3 项 成交金额 1000 ≥ 95.00 + 1234.57(各部分未涵盖全部): 各部分之和在 [" in x for x in lines), lines
    assert any("节资额 7 对照 预算金额 100 − 成交金额 95.00 = [" in x for x in lines), lines
    assert any("节资率 5.00% 对照 节资额 7 ÷ 预算金额 100 = [" in x for x in lines), lines
    details = [r[3] for r in openpyxl.load_workbook(out)["一致性检查"].iter_rows(min_row=2, values_only=True) if r[3]]
    assert details and not any("figure" in d or "against" in d or "parts" in d for d in details), details
    en = run(ledger_url, "--lang", "en", "reconcile", str(published))
    assert "figure 3 amount 1000 ≥ (parts do not cover the whole) 95.00 + 1234.57: parts lie in [" in en.stdout


def test_a_breakdown_tells_apart_two_readings_of_one_file(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    rows = [GOOD[0], [*GOOD[1][:2], "GC-002", *GOOD[1][3:]]]
    rows[1][0] = "房屋建筑工呈"  # a typo no vocabulary knows: held, then posted by a second reading of the same file
    path = workbook(tmp_path / "七月.xlsx", rows)
    assert run(ledger_url, "import", str(path)).exit_code == 1
    words = tmp_path / "words"
    words.mkdir()
    (words / "categories.yaml").write_text("categories:\n  construction: {aliases: [房屋建筑工呈]}\n",
                                           encoding="utf-8")
    from click.testing import CliRunner
    from ggzy.cli import main

    again = CliRunner(env={"GGZY_VOCAB_DIR": str(words)}).invoke(
        main, ["--db", ledger_url, "import", str(path), "--format", "json"], catch_exceptions=False)
    assert json.loads(again.stdout)["files"][0]["posted"] == 1
    published = tmp_path / "p.yaml"
    published.write_text("period: 2022-07\nunit: 元\nfigures:\n  - {amount: 1}\n", encoding="utf-8")
    out = tmp_path / "r.xlsx"
    assert run(ledger_url, "reconcile", str(published), "--report", str(out)).exit_code == 1
    files = [r[0] for r in openpyxl.load_workbook(out)["差异分解1"].iter_rows(values_only=True)
             if r[0] and str(r[0]).startswith("七月.xlsx")]
    assert len(files) == 2 and len(set(files)) == 2, files
    assert all(f.startswith("七月.xlsx (批次 ") for f in files)


def test_a_workbook_of_empty_sheets_is_one_sentence_and_writes_nothing(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    before = table_rows(ledger_url)
    book = openpyxl.Workbook()
    book.active.title = "十月"
    book.create_sheet("十一月")
    book.save(empty := tmp_path / "空白.xlsx")
    blank_csv = tmp_path / "空白.csv"
    blank_csv.write_text(",,\n\n,,\n", encoding="utf-8")
    good = workbook(tmp_path / "good.xlsx", GOOD)
    for path, said in ((empty, "its sheets (十月, 十一月) are empty: nothing to import"),
                       (blank_csv, "空白.csv: it holds no rows: nothing to import")):
        result = run(ledger_url, "import", str(good), str(path))  # the good file before it is not posted either
        assert result.exit_code == 2 and said in result.stderr and "Traceback" not in result.output, result.output
        assert len(result.stderr.strip().splitlines()) == 1
    assert table_rows(ledger_url) == before


def test_an_amount_amended_a_thousandfold_with_no_unit_is_refused_until_the_unit_is_said(ledger_url: str,
                                                                                         tmp_path: Path) -> None:
    """The workbook is in 万元; `--set deal=12.5` with no --unit meant 12.5 万元 and would have made 12.50 元."""
    run(ledger_url, "init")
    run(ledger_url, "import", str(workbook(tmp_path / "m.xlsx", GOOD)))
    record = json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"]
    record_id = str(next(r["id"] for r in record if r["project_code"] == "CG-001"))  # deal 950,000.50 元
    before = table_rows(ledger_url)
    for value in ("95", "9500005000"):
        refused = run(ledger_url, "amend", record_id, "--set", f"deal={value}", "--reason", "核对")
        assert refused.exit_code == 2 and "give --unit 万元" in refused.stderr, refused.output
        assert "instead of 950,000.50 元" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert table_rows(ledger_url) == before
    in_wan = run(ledger_url, "amend", record_id, "--set", "deal=95", "--unit", "万元", "--reason", "核对")
    assert in_wan.exit_code == 0 and "成交金额(万元) 95.00005 → 95.00" in in_wan.stdout, in_wan.output
    said = run(ledger_url, "amend", record_id, "--set", "deal=95", "--unit", "元", "--reason", "确为95元")
    assert said.exit_code == 0, said.output
    small = run(ledger_url, "amend", record_id, "--set", "deal=120", "--reason", "小幅更正")  # no unit: 元, as before
    assert small.exit_code == 0 and "成交金额(元) 95.00 → 120.00" in small.stdout, small.output


def test_a_value_published_twice_for_one_scope_must_agree_and_a_discrepancy_states_units_and_sign(
        ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    run(ledger_url, "import", str(workbook(tmp_path / "m.xlsx", GOOD)))  # 政府采购 deal 950,000.50 元, budget 1,000,000
    published = tmp_path / "p.yaml"
    published.write_text("period: 2022-07\nunit: 万元\nfigures:\n"
                         "  - {category: 政府采购, amount: 95.00, savings_rate: 5.00%}\n"  # line 4: as the ledger
                         "  - {category: 政府采购, amount: 95.2}\n"  # line 5: the same scope again
                         "  - {category: 政府采购, unit: 元, amount: 950000.5}\n"  # line 6: as line 4
                         "  - {category: 政府采购, savings_rate: 4.9%}\n", encoding="utf-8")
    result = run(ledger_url, "reconcile", str(published), "--format", "json")
    checks = {tuple(c["figures"]): c for c in json.loads(result.stdout)["consistency"]}
    assert checks[(1, 2)]["status"] == "inconsistent" and checks[(1, 3)]["status"] == "ok"
    assert checks[(1, 4)]["status"] == "inconsistent" and checks[(1, 4)]["measure"] == "savings_rate"
    text = run(ledger_url, "reconcile", str(published))
    assert text.exit_code == 1
    assert "公布数据自相矛盾 [1, 2]: 第 2 项 成交金额 95.2 与第 1 项 成交金额 95.00 范围相同: [" in text.stdout
    assert ("差异: 第2项(第5行) 成交金额: 公布 95.2 万元, 台账 95.00005 万元(台账 − 公布 = -0.19995 万元)"
            in text.stdout), text.stdout
    assert "差异: 第4项(第7行) 节资率: 公布 4.9%, 台账 5.000%(台账 − 公布 = +0.100%)" in text.stdout, text.stdout
    assert "% %" not in text.stdout


def test_the_web_view_names_the_ledger_as_the_user_gave_it(ledger_url: str, tmp_path: Path) -> None:
    """The page footer said sqlite:///file%3A/tmp/…/ggzy.db?mode=ro&uri=true: the read-only URI, not the ledger."""
    from ggzy.ledger.store import describe, make_readonly_engine
    from ggzy.web.app import create_app

    run(ledger_url, "init")
    engine = make_readonly_engine(ledger_url)
    try:
        shown = describe(engine)
        if ledger_url.startswith("sqlite"):
            assert shown == ledger_url and "mode=ro" not in shown
        page = _get(create_app(engine), "/")
        assert f"台账: {shown} · " in page and "file%3A" not in page
    finally:
        engine.dispose()


def _get(app: object, path: str) -> str:
    """The body of GET ``path`` from an ASGI app, called directly (no server, no HTTP client needed)."""
    import asyncio

    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": [],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    asyncio.run(app(scope, receive, send))  # type: ignore[operator]
    assert sent[0]["status"] == 200
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body").decode()


def test_a_file_read_again_that_changes_nothing_reports_no_findings(ledger_url: str, tmp_path: Path) -> None:
    """A correction makes the next import read the file again (it could change something); when it changes nothing
    it is already_imported, and its old findings are not reported again with exit 1 (as when it is not read)."""
    run(ledger_url, "init")
    over = [[*GOOD[0][:8], "1,200,000.00", GOOD[0][9]], GOOD[1]]  # a purchase above its budget: an error finding
    path = workbook(tmp_path / "m.xlsx", over)
    first = run(ledger_url, "import", str(path))
    assert first.exit_code == 1 and "procurement_within_budget" in first.stdout
    listed = json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"]
    construction = next(r["id"] for r in listed if r["project_code"] == "GC-001")
    assert run(ledger_url, "amend", str(construction), "--set", "winner=甲公司", "--reason", "补录").exit_code == 0
    again = run(ledger_url, "import", str(path), "--format", "json")
    body = json.loads(again.stdout)
    assert body["files"][0]["status"] == "already_imported" and body["findings"] == []
    assert again.exit_code == 0
    assert run(ledger_url, "check").exit_code == 1  # the ledger still holds the exception: `check` reports it


def test_an_excel_lock_file_is_named_as_one(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    lock = tmp_path / "~$月交易明细.xlsx"
    lock.write_bytes(b"\x0bwangli" + b" " * 43 + b"\x00" * 112)  # what Excel leaves beside an open workbook
    result = run(ledger_url, "import", str(lock))
    assert result.exit_code == 2 and "lock file Excel writes beside a workbook while it is open" in result.stderr


def test_a_month_that_does_not_exist_is_named() -> None:
    from ggzy.errors import UsageError
    from ggzy.periods import parse_period

    for text, month in (("2022-13", 13), ("2022年13月", 13), ("202200", 0), ("2022.13", 13)):
        with pytest.raises(UsageError, match=rf"there is no month {month} \(a month is 1 to 12\); write 2022-09"):
            parse_period(text)
    with pytest.raises(UsageError, match="is not understood"):
        parse_period("2022年9月3日")


@pytest.mark.one_database("a file path given where the ledger URL goes is refused before any database is opened")
def test_a_path_given_as_the_ledger_says_the_url_to_write(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from ggzy.cli import main

    path = tmp_path / "ggzy.db"
    for args, env in ((["--db", str(path), "init"], {}), (["records"], {"GGZY_DB": str(path)})):
        result = CliRunner(env=env).invoke(main, args, catch_exceptions=False)
        assert result.exit_code == 2 and f"is a path, not a URL: for that file write sqlite:///{path}" in result.stderr
    assert not path.exists()


def test_a_mistyped_category_names_the_word_it_is_close_to(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    rows = [[*GOOD[0][:2], "CG-009", *GOOD[0][3:]], [*GOOD[1][:2], "GC-009", *GOOD[1][3:]],
            [*GOOD[0][:2], "CG-010", *GOOD[0][3:]]]
    rows[0][0], rows[1][0], rows[2][0] = "政府彩购", "房屋建筑工呈", "火星交易"
    result = run(ledger_url, "import", str(workbook(tmp_path / "m.xlsx", rows)))
    assert result.exit_code == 1
    held = [x.strip() for x in result.stdout.splitlines() if "无法入账" in x]
    said = "未知交易类别 '政府彩购'(近似 政府采购 = 政府采购): 请更正单元格, 或加入类别文件"
    assert any(said in x for x in held), held
    assert any("'房屋建筑工呈'(近似 房屋建筑工程 = 工程建设/房屋建筑)" in x for x in held), held
    assert any("未知交易类别 '火星交易': 请加入类别文件" in x for x in held), held  # nothing close: nothing suggested
    reasons = sorted(e["reasons"] for e in _held(ledger_url))
    assert reasons[0].startswith("unknown category '房屋建筑工呈' (close to 房屋建筑工程 = 工程建设/房屋建筑): "
                                 "add it to ")
    assert len(json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"]) == 0  # never guessed
