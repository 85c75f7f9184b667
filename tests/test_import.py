"""Importing: every row accounted for, quarantine with reasons, re-imports, conflicts, bad files."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from support import GOOD, HEADER, ROOT, run, table_rows, workbook


def imported(url: str, *files: Path, code: int, extra: tuple[str, ...] = ()) -> dict:
    result = run(url, "import", *map(str, files), "--format", "json", *extra)
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def test_clean_rows_are_posted_with_exact_fen_and_provenance(ledger_url: str, tmp_path: Path) -> None:
    path = workbook(tmp_path / "july.xlsx", GOOD)
    (item,) = imported(ledger_url, path, code=0)["files"]
    assert (item["rows"], item["posted"], item["status"]) == (3, 3, "posted")
    listed = json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"]
    records = {r["project_code"]: r for r in listed}
    assert records["CG-001"]["deal_fen"] == 95_000_050 and records["CG-001"]["budget_fen"] == 100_000_000
    assert records["GC-001"]["deal_fen"] == 1_234_567_890 and records["GC-001"]["budget_fen"] is None
    assert records["TD-001"]["status"] == "failed" and records["TD-001"]["deal_fen"] is None
    assert records["GC-001"]["trade_date"] == "2022-07-06" and records["TD-001"]["period"] == "2022-07"
    assert (records["CG-001"]["source_file"], records["CG-001"]["source_sheet"], records["CG-001"]["source_row"]) == \
        ("july.xlsx", "明细", 2)


def test_bad_rows_are_quarantined_with_reasons_never_lost(ledger_url: str, tmp_path: Path) -> None:
    rows = [*GOOD,
            ["政府采购", "分散采购", "CG-002", "01", "x", "市本级", "成交", 100, "总价约390万元", "2022-07-08"],
            ["政府采购", "分散采购", "CG-003", "01", "x", "市本级", "成交", 100, -5, "2022-07-08"],
            ["火星交易", None, "XX-001", "01", "x", "市本级", "成交", 100, 50, "2022-07-08"],
            ["政府采购", "分散采购", None, None, "x", "市本级", "成交", 100, 50, "2022-07-08"],
            ["政府采购", "分散采购", "CG-004", "01", "x", "市本级", "成交", 100, 50, "七月八日"],
            [None] * 10,  # blank: not a record, not counted
            ["政府采购", "分散采购", "CG-005", "01", "x", "市本级", "成交", 100, "95%", "2022-07-08"]]
    path = workbook(tmp_path / "july.xlsx", rows)
    (item,) = imported(ledger_url, path, code=1)["files"]
    assert item["rows"] == 9 == item["posted"] + item["unchanged"] + item["quarantined"] + item["conflicts"]
    assert (item["posted"], item["quarantined"]) == (3, 6)
    result = run(ledger_url, "quarantine", "--format", "json")
    assert result.exit_code == 1
    held = {q["source_row"]: q for q in json.loads(result.stdout)["quarantine"]}
    assert "not a number" in held[5]["reasons"] and held[5]["raw"]["成交金额(元)"] == "总价约390万元"
    assert "negative" in held[6]["reasons"]
    assert "unknown category '火星交易'" in held[7]["reasons"]
    assert "missing project code" in held[8]["reasons"]
    assert "is not a date" in held[9]["reasons"]
    assert "percentage" in held[11]["reasons"]
    assert all(q["source_file"] == "july.xlsx" and q["source_sheet"] == "明细" for q in held.values())


def test_reimport_same_file_and_same_content_and_conflict(ledger_url: str, tmp_path: Path) -> None:
    first = workbook(tmp_path / "a.xlsx", GOOD)
    imported(ledger_url, first, code=0)
    again = imported(ledger_url, first, code=0)["files"][0]
    assert (again["status"], again["unchanged"], again["posted"]) == ("already_imported", 3, 0)
    changed = [list(r) for r in GOOD]
    changed[0][8] = 940000  # same key CG-001/01, different deal amount
    changed.append(["政府采购", "分散采购", "CG-009", "01", "新", "市本级", "成交", 10, 9, "2022-07-09"])
    second = workbook(tmp_path / "b.xlsx", changed)  # a different file: same rows are unchanged
    item = imported(ledger_url, second, code=1)["files"][0]
    assert (item["rows"], item["posted"], item["unchanged"], item["conflicts"], item["quarantined"]) == (4, 1, 2, 1, 0)
    held = json.loads(run(ledger_url, "quarantine", "--format", "json").stdout)["quarantine"]
    assert held[0]["kind"] == "conflict" and held[0]["existing_record_id"] is not None
    assert held[0]["record"]["deal_fen"] == 94_000_000
    records = json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"]
    assert next(r for r in records if r["project_code"] == "CG-001")["deal_fen"] == 95_000_050  # never overwritten


def test_duplicate_key_inside_one_file_is_a_conflict(ledger_url: str, tmp_path: Path) -> None:
    rows = [GOOD[0], [*GOOD[0][:8], 1, GOOD[0][9]]]
    item = imported(ledger_url, workbook(tmp_path / "dup.xlsx", rows), code=1)["files"][0]
    assert (item["posted"], item["conflicts"]) == (1, 1)


def test_strict_and_dry_run_write_nothing(ledger_url: str, tmp_path: Path) -> None:
    unreadable = ["政府采购", None, "CG-9", "01", "x", "x", "成交", 1, "abc", "2022-07-01"]
    bad = workbook(tmp_path / "bad.xlsx", [*GOOD, unreadable])
    empty = table_rows(ledger_url)
    strict = imported(ledger_url, bad, code=1, extra=("--strict",))["files"][0]
    assert strict["status"] == "rejected" and strict["posted"] == 0 and strict["batch_id"] is None
    dry = imported(ledger_url, workbook(tmp_path / "good.xlsx", GOOD), code=0, extra=("--dry-run",))
    assert dry["dry_run"] and dry["files"][0]["posted"] == 3
    assert json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"] == []
    assert run(ledger_url, "quarantine").exit_code == 0
    assert table_rows(ledger_url) == empty


def test_csv_utf8_and_gbk(ledger_url: str, tmp_path: Path) -> None:
    text = ",".join(HEADER) + "\n政府采购,分散采购,CSV-1,01,名称,市本级,成交,100.00,99.50,2022/7/5\n"
    (tmp_path / "u.csv").write_text(text, encoding="utf-8-sig")
    (tmp_path / "g.csv").write_text(text.replace("CSV-1", "CSV-2"), encoding="gbk")
    data = imported(ledger_url, tmp_path / "u.csv", tmp_path / "g.csv", code=0)
    assert [f["posted"] for f in data["files"]] == [1, 1]
    records = json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"]
    assert {r["deal_fen"] for r in records} == {9950}


def put(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p / "missing.xlsx", "file not found"),
    (lambda p: put(p / "empty.xlsx", b""), "file is empty"),
    (lambda p: put(p / "fake.xlsx", b"not a zip"), "cannot be read as an .xlsx"),
    (lambda p: put(p / "truncated.xlsx", (ROOT / "examples/haidong-2022Q3/海东市2022年07月交易明细.xlsx")
                   .read_bytes()[:3000]), "cannot be read as an .xlsx"),
    (lambda p: put(p / "old.xls", b"\xd0\xcf\x11\xe0"), "is not an Excel workbook although named .xls"),
    (lambda p: put(p / "damaged.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088)),
     "cannot be read as a workbook"),
    (lambda p: put(p / "macro.xlsm", b"PK\x03\x04"), "save the workbook as .xlsx"),
    # an encrypted workbook is an OLE container whatever its name says
    (lambda p: put(p / "locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088)), "password-protected"),
    (lambda p: put(p / "notes.txt", b"x"), "not a workbook"),
    (lambda p: put(p.joinpath("空文件夹").mkdir() or p / "空文件夹" / "说明.txt", b"x").parent,
     "is a folder with no .xlsx, .xls or .csv file"),
    (lambda p: workbook(p / "noheader.xlsx", [["a", "b"]], header=["随便", "什么"]), "no header row found"),
    (lambda p: workbook(p / "nounit.xlsx", [["x", "1", "2022-07-01"]], header=["项目编号", "成交金额", "成交日期"]),
     "has no money unit"),
])
def test_unreadable_input_exits_2_and_writes_nothing(ledger_url: str, tmp_path: Path, make, message: str) -> None:
    good = workbook(tmp_path / "good.xlsx", GOOD)
    bad = make(tmp_path)
    empty = table_rows(ledger_url)
    result = run(ledger_url, "import", str(good), str(bad))
    assert result.exit_code == 2
    assert message in result.stderr and str(bad.name) in result.stderr
    assert "Traceback" not in result.output
    assert json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"] == []
    assert table_rows(ledger_url) == empty


@pytest.mark.one_database("SQLite paths: a ledger file that is not there, a folder that is not there (the empty "
                          "PostgreSQL database: test_open_ledger's `missing`)")
def test_uninitialised_or_unwritable_ledger_exits_2(tmp_path: Path) -> None:
    result = run(f"sqlite:///{tmp_path / 'none.db'}", "records")
    assert result.exit_code == 2 and "ggzy init" in result.stderr
    result = run(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}", "init")
    assert result.exit_code == 2 and "does not exist" in result.stderr
    result = run("nosuchdb://x", "init")
    assert result.exit_code == 2 and "not usable" in result.stderr


def test_corrected_file_reimported_resolves_the_held_rows(ledger_url: str, tmp_path: Path) -> None:
    bad = [*GOOD, ["政府采购", "分散采购", "CG-002", "01", "x", "市本级", "成交", 100, "约九十", "2022-07-08"],
           ["火星交易", None, "XX-001", "01", "x", "市本级", "成交", 100, 50, "2022-07-08"],
           ["政府采购", "分散采购", "CG-003", "01", "y", "市本级", "成交", 100, 80, "七月八日"]]
    (tmp_path / "v1").mkdir()
    imported(ledger_url, workbook(tmp_path / "v1" / "july.xlsx", bad), code=1)
    assert len(json.loads(run(ledger_url, "quarantine", "--format", "json").stdout)["quarantine"]) == 3
    fixed = [list(r) for r in bad]
    fixed[3][8] = 90  # the amount written as a number
    fixed[4][0] = "其他交易"  # a known category
    (tmp_path / "v2").mkdir()  # the same file name, corrected; CG-003's date is still wrong
    item = imported(ledger_url, workbook(tmp_path / "v2" / "july.xlsx", fixed), code=1)["files"][0]
    assert (item["posted"], item["unchanged"], item["quarantined"], item["resolved"]) == (2, 3, 1, 3)
    open_rows = json.loads(run(ledger_url, "quarantine", "--format", "json").stdout)["quarantine"]
    assert [(r["source_row"], r["batch_id"]) for r in open_rows] == [(7, item["batch_id"])]  # held again, once
    result = run(ledger_url, "quarantine", "--all", "--format", "json")
    every = {(r["batch_id"], r["source_row"]): r["resolved_how"] for r in json.loads(result.stdout)["quarantine"]}
    first = min(b for b, _ in every)
    assert every == {(first, 5): "posted", (first, 6): "posted", (first, 7): "superseded",
                     (item["batch_id"], 7): None}
    fixed[5][9] = "2022-07-08"
    (tmp_path / "v3").mkdir()
    imported(ledger_url, workbook(tmp_path / "v3" / "july.xlsx", fixed), code=0)
    assert run(ledger_url, "quarantine").exit_code == 0  # nothing open any more


def test_a_conflict_stays_held_when_another_file_confirms_the_ledger_version(ledger_url: str,
                                                                             tmp_path: Path) -> None:
    """A third file agreeing with the ledger does not make the conflicting row's content disappear: it stays held
    until the user says the ledger's version is right (ggzy resolve; tests/test_resolving.py)."""
    imported(ledger_url, workbook(tmp_path / "a.xlsx", GOOD), code=0)
    changed = [list(r) for r in GOOD]
    changed[0][8] = 1
    imported(ledger_url, workbook(tmp_path / "b.xlsx", changed), code=1)
    item = imported(ledger_url, workbook(tmp_path / "c.xlsx", [GOOD[0]], sheet="更正"), code=0)["files"][0]
    assert (item["unchanged"], item["resolved"]) == (1, 0)
    (held,) = json.loads(run(ledger_url, "quarantine", "--format", "json").stdout)["quarantine"]
    assert held["record"]["deal_fen"] == 100
    assert run(ledger_url, "resolve", str(held["id"]), "--reason", "以更正公告为准").exit_code == 0
    assert run(ledger_url, "quarantine").exit_code == 0


def test_total_row_that_disagrees_is_reported_and_exits_1(ledger_url: str, tmp_path: Path) -> None:
    path = workbook(tmp_path / "t.xlsx", [*GOOD, ["合计", None, None, None, None, None, None, 1000000, 99, None]])
    result = run(ledger_url, "import", str(path))
    assert result.exit_code == 1
    assert "合计不符" in result.stdout and "第 5 行(合计)" in result.stdout
    assert "成交金额(元) 写明 99 元" in result.stdout and "其上 3 行合计 13295679.40" in result.stdout
    records = json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"]
    assert len(records) == 3  # the 合计 row is not a record; the rows are posted
    report = run(ledger_url, "report", "--out", str(tmp_path / "r.xlsx"))
    assert report.exit_code == 1 and "1 处来源合计不符" in report.stdout
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["合计核对"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows == [(1, "t.xlsx", "明细", 5, "合计", "成交金额(元)", "元", 99, 13295679.4, -13295580.4, 3, 0)]


def test_progress_on_a_terminal_and_quiet_in_json(ledger_url: str, tmp_path: Path) -> None:
    """A real pseudo-terminal on stderr: the import shows rows read and posted; --format json shows nothing."""
    import os
    import subprocess
    import sys

    path = workbook(tmp_path / "p.xlsx", GOOD)
    screens = []
    for extra in ((), ("--format", "json")):
        leader, follower = os.openpty()
        process = subprocess.run([sys.executable, "-m", "ggzy", "--db", ledger_url, "import", "--no-check", "--dry-run",
                                  str(path), *extra], stderr=follower, stdout=subprocess.PIPE, timeout=120)
        os.close(follower)
        screen = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            screen += chunk
        os.close(leader)
        assert process.returncode == 0
        screens.append(screen.decode(errors="replace"))
    assert "已读行" in screens[0] and "已入账行" in screens[0]
    assert screens[1] == ""


def test_a_total_printed_above_its_rows_covers_the_rows_below(ledger_url: str, tmp_path: Path) -> None:
    path = workbook(tmp_path / "top.xlsx", [["合计", None, None, None, None, None, None, 1000000, "13,295,679.40",
                                             None], *GOOD])
    item = imported(ledger_url, path, code=0, extra=("--no-check",))["files"][0]
    (check,) = [t for t in item["totals"] if t["column"] == "成交金额(元)"]
    assert (check["status"], check["record_rows"], check["rows_sum"]) == ("ok", 3, "13295679.40")


# --- issue 19: headers read by inference, explained, extended by the user -------------------------------
LAND = [["编号", "地块位置", "土地用途", "起始价（万元）", "成交价（万元）", "竞得人", "成交日期", "保证金（万元）",
         "备注"],
        ["TD-1", "某市北岭县城关镇", "工业用地", "100", "120", "甲公司", "2024-03-05", "20", None],
        ["TD-2", "某市北岭城关镇东", "住宅用地", "500", "/", None, "2024-03-06", "100", "无人报名"]]


def land_book(path: Path, rows: list[list[object]] = LAND, sheet: str = "土地出让") -> Path:
    return workbook(path, rows[1:], header=rows[0], sheet=sheet)


def test_explain_prints_every_header_with_its_field_reason_and_unit(ledger_url: str, tmp_path: Path) -> None:
    result = run(ledger_url, "import", str(land_book(tmp_path / "land.xlsx")), "--explain", "--no-check")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "land.xlsx, sheet 土地出让: header row 1, records from row 2; category 土地使用权 from the sheet name" in out
    english = run(ledger_url, "--lang", "en", "import", str(land_book(tmp_path / "land.xlsx")), "--explain",
                  "--no-check", "--dry-run").stdout
    assert "records from row 2; category land from the sheet name" in english
    assert "1 编号 → project_code" in out and "a bare code word (编号) on a sheet whose category is known" in out
    assert "5 成交价（万元） → deal  [万元, from the header]" in out
    assert "8 保证金（万元） → not used" in out
    # a plain import names, in one line, the unused headers that look like money, a date or a code
    assert "未使用的列: land.xlsx, 工作表 土地出让: 保证金（万元） (未使用)" in out
    records = {r["project_code"]: r for r in json.loads(run(ledger_url, "records", "--format",
                                                            "json").stdout)["records"]}
    assert records["TD-2"]["status"] == "failed" and records["TD-2"]["deal_fen"] is None
    assert (records["TD-1"]["region"], records["TD-1"]["name"], records["TD-1"]["subcategory"]) == \
        ("北岭县", "某市北岭县城关镇", "工业用地")


def test_explain_json_carries_the_same_decisions(ledger_url: str, tmp_path: Path) -> None:
    data = imported(ledger_url, land_book(tmp_path / "land.xlsx"), code=0, extra=("--explain", "--no-check"))
    (sheet,) = data["explain"]
    by_header = {c["header"]: c for c in sheet["columns"]}
    assert by_header["成交价（万元）"]["field"] == "deal" and by_header["成交价（万元）"]["unit_origin"] == "header"
    assert by_header["保证金（万元）"]["field"] is None and sheet["missing"] == []
    assert data["unused_headers"] == [{"file": "land.xlsx", "sheet": "土地出让", "headers": ["保证金（万元）"]}]


def test_failed_rows_count_as_trades_not_deals(ledger_url: str, tmp_path: Path) -> None:
    imported(ledger_url, land_book(tmp_path / "land.xlsx"), code=0, extra=("--no-check",))
    rates = json.loads(run(ledger_url, "rates", "--by", "", "--format", "json").stdout)
    (row,) = rates["rows"]
    assert (row["count"], row["deals"]) == (2, 1)


def test_a_missing_field_names_the_headers_and_the_profile_lines(ledger_url: str, tmp_path: Path) -> None:
    rows = [["编号", "名称", "金额（元）", "公告日期"], ["X-1", "某项目", "100", "2024-03-01"]]
    result = run(ledger_url, "import", str(workbook(tmp_path / "odd.xlsx", rows[1:], header=rows[0])))
    assert result.exit_code == 2  # nothing scores high enough to be a header: it says what it saw and what to add
    assert "odd.xlsx, sheet 明细: no header row found in the first 15 rows" in result.stderr
    assert "编号 (a bare code word (编号) on a sheet whose category is not known" in result.stderr
    assert "columns:\n  编号: project_code\n  金额(元): deal\n  公告日期: trade_date" in result.stderr
    # with the category known from the sheet name, the code is read: only the trade date is missing
    land = run(ledger_url, "import", str(workbook(tmp_path / "land.xlsx", rows[1:], header=rows[0], sheet="土地出让")))
    assert land.exit_code == 2 and "no column holds the 成交日期 (trade date) and 成交金额 or 交易状态" in land.stderr
    assert land.stderr.rstrip().endswith("columns:\n  金额(元): deal\n  公告日期: trade_date")
    assert json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"] == []


def test_profile_suggest_writes_a_profile_that_reads_the_file(ledger_url: str, tmp_path: Path) -> None:
    rows = [["编号", "名称", "金额（元）", "公告日期", "交易类别"], ["X-1", "某项目", "100", "2024-03-01", "政府采购"]]
    source = workbook(tmp_path / "odd.xlsx", rows[1:], header=rows[0])
    printed = run(ledger_url, "profile", "suggest", str(source))
    assert printed.exit_code == 0 and "  公告日期: trade_date   # GUESS" in printed.stdout
    assert "  金额(元): deal   # GUESS" in printed.stdout  # a money word with no role: a guess to check
    target = tmp_path / "odd.yaml"
    assert run(ledger_url, "profile", "suggest", str(source), "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8") == printed.stdout
    (item,) = imported(ledger_url, source, code=0, extra=("--profile", str(target), "--no-check"))["files"]
    assert item["posted"] == 1


def test_user_vocabularies_in_ggzy_d_are_merged_over_the_shipped_ones(ledger_url: str, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "ggzy.d"
    (folder / "profiles").mkdir(parents=True)
    monkeypatch.setenv("GGZY_VOCAB_DIR", str(folder))
    rows = [["交易类别", "业务单据", "项目名称", "成交金额(元)", "成交日期", "县区"],
            ["冠名权", "PW-1", "某路段冠名权", "100", "2024-03-01", "北岭"]]  # a kind data/ lacks
    source = workbook(tmp_path / "pw.xlsx", rows[1:], header=rows[0])
    refused = run(ledger_url, "import", str(source), "--format", "json")
    assert refused.exit_code == 2 and "业务单据" in refused.stderr  # no word in it says it is a code
    (folder / "headers.yaml").write_text("project_code: [业务单据]\n", encoding="utf-8")
    held = imported(ledger_url, source, code=1)
    reasons = json.loads(run(ledger_url, "quarantine", "--format", "json").stdout)["quarantine"][0]["reasons"]
    assert held["files"][0]["quarantined"] == 1 and f"add it to {folder / 'categories.yaml'}" in reasons
    (folder / "categories.yaml").write_text("categories:\n  other:\n    aliases: [冠名权]\n", encoding="utf-8")
    (folder / "regions.yaml").write_text("aliases:\n  北岭: 北岭县\n", encoding="utf-8")
    source2 = workbook(tmp_path / "pw2.xlsx", [[*rows[1][:1], "PW-2", *rows[1][2:]]], header=rows[0])
    (item,) = imported(ledger_url, source2, code=0, extra=("--no-check",))["files"]
    record = json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"][0]
    assert item["posted"] == 1 and (record["category"], record["region"]) == ("other", "北岭县")
    (folder / "categories.yaml").write_text("categories:\n  lottery: {aliases: [彩票]}\n", encoding="utf-8")
    source3 = workbook(tmp_path / "pw3.xlsx", [[*rows[1][:1], "PW-3", *rows[1][2:]]], header=rows[0])
    bad = run(ledger_url, "import", str(source3))
    assert bad.exit_code == 2 and f"{folder / 'categories.yaml'}: unknown category 'lottery'" in bad.stderr


def test_a_region_differing_only_by_its_suffix_is_reported(ledger_url: str, tmp_path: Path) -> None:
    first = [["项目编号", "项目名称", "交易类别", "所属区县", "成交金额(元)", "成交日期"],
             ["A-1", "甲", "政府采购", "北岭县", "100", "2024-03-01"]]
    imported(ledger_url, workbook(tmp_path / "a.xlsx", first[1:], header=first[0]), code=0, extra=("--no-check",))
    second = [first[0], ["A-2", "乙", "政府采购", "北岭", "100", "2024-03-02"]]
    result = run(ledger_url, "import", str(workbook(tmp_path / "b.xlsx", second[1:], header=second[0])), "--no-check")
    assert result.exit_code == 0
    assert "地区 '北岭' (b.xlsx:明细:2) 与 '北岭县' 像是同一地方" in result.stdout
    assert "regions.yaml" in result.stdout and "的 aliases: 下加入 `北岭: 北岭县`" in result.stdout


def test_explain_says_what_it_saw_when_no_header_is_found(ledger_url: str, tmp_path: Path) -> None:
    source = workbook(tmp_path / "odd.xlsx", [["X-1", "100", "2024-03-01"]], header=["编号", "金额（元）", "公告日期"])
    result = run(ledger_url, "import", str(source), "--explain")
    assert result.exit_code == 2 and "no header row found" in result.stderr
    assert "odd.xlsx, sheet 明细: no header row found; the likeliest row reads:" in result.stdout
    assert "1 编号 → not used (could be project_code)" in result.stdout


def test_the_short_form_gongcheng_names_construction_like_caigou_and_tudi(ledger_url: str, tmp_path: Path) -> None:
    """工程 in a 交易类型 cell or as a sheet's name is 工程建设, as 采购, 土地 and 产权 name theirs; 其他 in a
    交易类型 cell is 其他交易 (in a 工程类型 cell it stays 工程建设's 其他 part)."""
    sheet = workbook(tmp_path / "sheet.xlsx", [["GC-1", "甲路", "某局", "某公司", "100", "2024-09-05"]],
                     header=["标段号", "标段名称", "招标人", "中标人", "中标价(元)", "开标日期"], sheet="工程")
    cells = workbook(tmp_path / "cells.xlsx", [["T1", "甲路", "工程", "100", "2024-09-05"],
                                               ["T2", "乙", "采购", "50", "2024-09-05"],
                                               ["T3", "丙", "土地", "80", "2024-09-05"],
                                               ["T4", "丁", "产权", "70", "2024-09-05"],
                                               ["T5", "戊", "矿业", "60", "2024-09-05"],
                                               ["T6", "己", "其他", "40", "2024-09-05"]],  # 其他交易
                     header=["项目编号", "项目名称", "交易类型", "成交价(元)", "成交日期"])
    imported(ledger_url, sheet, cells, code=0, extra=("--no-check",))
    records = {r["project_code"]: r["category"] for r in json.loads(run(ledger_url, "records", "--format",
                                                                        "json").stdout)["records"]}
    assert records == {"GC-1": "construction", "T1": "construction", "T2": "procurement", "T3": "land",
                       "T4": "property", "T5": "mining", "T6": "other"}


def test_every_category_has_its_short_forms() -> None:
    """The alias table has no asymmetry of the kind 采购 yes, 工程 no: each category's short form, its '…类' form
    and its label resolve; inside a title a two-character form yields to a longer word of another category."""
    from ggzy.vocab import vocabulary

    vocab = vocabulary()
    short = {"construction": ["工程", "工程类", "工程建设", "建设工程"], "procurement": ["采购", "采购类", "政府采购"],
             "land": ["土地", "土地类", "土地使用权"], "mining": ["矿权", "矿业", "矿业权类", "矿业权"],
             "property": ["产权", "产权类", "国有产权"], "other": ["其他交易", "其他类", "其他交易类"]}
    for category, words in short.items():
        assert {w: vocab.category(w) for w in words} == dict.fromkeys(words, category)
    assert vocab.subcategory("园林") == ("construction", "其他")
    assert vocab.in_text("2024年政府采购装修工程中标结果")[0] == "procurement"
    assert vocab.in_text("工程建设项目材料采购台账")[0] == "construction"
    assert vocab.in_text("土地整理工程") is None  # two short forms of two categories: not guessed


def test_profile_suggest_never_writes_an_active_guessed_unit(ledger_url: str, tmp_path: Path) -> None:
    source = workbook(tmp_path / "nounit.xlsx", [["GC-1", "甲路", "1234567", "2024-09-05"]],
                      header=["标段编号", "工程名称", "中标价", "开标日期"], sheet="工程建设")
    target = tmp_path / "nounit.yaml"
    result = run(ledger_url, "profile", "suggest", str(source), "-o", str(target))
    assert result.exit_code == 0 and "the money unit is needed" in result.stderr
    text = target.read_text(encoding="utf-8")
    assert not [line for line in text.splitlines() if line.startswith("unit:")]
    assert "# unit: 元   # UNIT NEEDED: 中标价 give no unit" in text
    assert "already reads with no profile" not in text  # it does not: the unit is missing
    refused = run(ledger_url, "import", str(source), "--profile", str(target))
    assert refused.exit_code == 2 and "column '中标价' has no money unit" in refused.stderr
    target.write_text(text.replace("# unit: 元", "unit: 元"), encoding="utf-8")  # the user decides
    (item,) = imported(ledger_url, source, code=0, extra=("--profile", str(target), "--no-check"))["files"]
    assert item["posted"] == 1


def test_explain_shows_a_header_typed_on_two_lines_on_one(ledger_url: str, tmp_path: Path) -> None:
    source = workbook(tmp_path / "land.xlsx", [["A1", "甲", "100", "120", "2024-09-05"]],
                      header=["宗地编号", "宗地名称", "出让起始价\n(万元)", "成交价\n(万元)", "成交日期"], sheet="土地")
    out = run(ledger_url, "import", str(source), "--explain", "--dry-run").stdout
    assert "3 出让起始价 (万元) → reserve  [万元, from the header]" in out and "\\n" not in out


def test_a_page_footer_printed_into_the_sheet_is_not_a_row(ledger_url: str, tmp_path: Path) -> None:
    rows = [["T1", "甲", "政府采购", "100", "2024-09-05"], ["第 1 页，共 2 页"],
            ["T2", "乙", "政府采购", "50", "2024-09-06"], ["以下空白"], ["（此页无正文）"]]
    header = ["项目编号", "项目名称", "交易类别", "成交价(元)", "成交日期"]
    source = workbook(tmp_path / "footer.xlsx", rows, header=header)
    (item,) = imported(ledger_url, source, code=0, extra=("--no-check",))["files"]
    assert (item["rows"], item["posted"], item["quarantined"]) == (2, 2, 0)


def test_a_folder_stands_for_the_workbooks_in_it(ledger_url: str, tmp_path: Path) -> None:
    """A month's folder as received: its workbooks and CSV files by name; Excel's lock file and notes are not read."""
    month = tmp_path / "7月"
    month.mkdir()
    workbook(month / "a.xlsx", GOOD[:2])
    row = "政府采购,分散采购,CG-009,01,印刷,市本级,成交,5000,4800,2022-07-09"
    (month / "b.csv").write_text(",".join(HEADER) + "\n" + row + "\n", encoding="utf-8")
    (month / "~$a.xlsx").write_bytes(b"\x00lock")
    (month / "说明.txt").write_text("请于月底前导入", encoding="utf-8")
    result = run(ledger_url, "import", "--format", "json", str(month))
    assert result.exit_code == 0, result.output
    assert [Path(f["file"]).name for f in json.loads(result.stdout)["files"]] == ["a.xlsx", "b.csv"]
    listed = json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"]
    codes = sorted(r["project_code"] for r in listed)
    assert codes == ["CG-001", "CG-009", "GC-001"]


@pytest.mark.parametrize("make", [
    lambda p: openpyxl.Workbook().save(p / "空表.xlsx") or p / "空表.xlsx",
    lambda p: put(p / "说明.xls", "<html><body><p>本月无交易</p></body></html>".encode()),
])
def test_profile_suggest_of_a_file_with_no_table_exits_2_and_writes_nothing(ledger_url: str, tmp_path: Path,
                                                                           make) -> None:
    path, profile = make(tmp_path), tmp_path / "p.yaml"
    result = run(ledger_url, "profile", "suggest", str(path), "-o", str(profile))
    assert result.exit_code == 2 and "no sheet holds a table" in result.stderr and path.name in result.stderr
    assert not profile.exists()
