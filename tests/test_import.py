"""Importing: every row accounted for, quarantine with reasons, re-imports, conflicts, bad files."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from support import GOOD, HEADER, ROOT, run, workbook


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


def test_duplicate_key_inside_one_file_is_a_conflict(sqlite_url: str, tmp_path: Path) -> None:
    run(sqlite_url, "init")
    rows = [GOOD[0], [*GOOD[0][:8], 1, GOOD[0][9]]]
    item = imported(sqlite_url, workbook(tmp_path / "dup.xlsx", rows), code=1)["files"][0]
    assert (item["posted"], item["conflicts"]) == (1, 1)


def test_strict_and_dry_run_write_nothing(sqlite_url: str, tmp_path: Path) -> None:
    run(sqlite_url, "init")
    unreadable = ["政府采购", None, "CG-9", "01", "x", "x", "成交", 1, "abc", "2022-07-01"]
    bad = workbook(tmp_path / "bad.xlsx", [*GOOD, unreadable])
    strict = imported(sqlite_url, bad, code=1, extra=("--strict",))["files"][0]
    assert strict["status"] == "rejected" and strict["posted"] == 0 and strict["batch_id"] is None
    dry = imported(sqlite_url, workbook(tmp_path / "good.xlsx", GOOD), code=0, extra=("--dry-run",))
    assert dry["dry_run"] and dry["files"][0]["posted"] == 3
    assert json.loads(run(sqlite_url, "records", "--format", "json").stdout)["records"] == []
    assert run(sqlite_url, "quarantine").exit_code == 0


def test_csv_utf8_and_gbk(sqlite_url: str, tmp_path: Path) -> None:
    run(sqlite_url, "init")
    text = ",".join(HEADER) + "\n政府采购,分散采购,CSV-1,01,名称,市本级,成交,100.00,99.50,2022/7/5\n"
    (tmp_path / "u.csv").write_text(text, encoding="utf-8-sig")
    (tmp_path / "g.csv").write_text(text.replace("CSV-1", "CSV-2"), encoding="gbk")
    data = imported(sqlite_url, tmp_path / "u.csv", tmp_path / "g.csv", code=0)
    assert [f["posted"] for f in data["files"]] == [1, 1]
    records = json.loads(run(sqlite_url, "records", "--format", "json").stdout)["records"]
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
    (lambda p: put(p / "old.xls", b"\xd0\xcf\x11\xe0"), "save the workbook as .xlsx"),
    (lambda p: put(p / "macro.xlsm", b"PK\x03\x04"), "save the workbook as .xlsx"),
    # an encrypted workbook is an OLE container whatever its name says
    (lambda p: put(p / "locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088)), "password-protected"),
    (lambda p: put(p / "notes.txt", b"x"), "not a workbook"),
    (lambda p: workbook(p / "noheader.xlsx", [["a", "b"]], header=["随便", "什么"]), "no header row found"),
    (lambda p: workbook(p / "nounit.xlsx", [["x", "1", "2022-07-01"]], header=["项目编号", "成交金额", "成交日期"]),
     "has no money unit"),
])
def test_unreadable_input_exits_2_and_writes_nothing(sqlite_url: str, tmp_path: Path, make, message: str) -> None:
    run(sqlite_url, "init")
    good = workbook(tmp_path / "good.xlsx", GOOD)
    bad = make(tmp_path)
    result = run(sqlite_url, "import", str(good), str(bad))
    assert result.exit_code == 2
    assert message in result.stderr and str(bad.name) in result.stderr
    assert "Traceback" not in result.output
    assert json.loads(run(sqlite_url, "records", "--format", "json").stdout)["records"] == []


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


def test_conflict_resolved_when_the_ledger_version_is_confirmed(sqlite_url: str, tmp_path: Path) -> None:
    run(sqlite_url, "init")
    imported(sqlite_url, workbook(tmp_path / "a.xlsx", GOOD), code=0)
    changed = [list(r) for r in GOOD]
    changed[0][8] = 1
    imported(sqlite_url, workbook(tmp_path / "b.xlsx", changed), code=1)
    item = imported(sqlite_url, workbook(tmp_path / "c.xlsx", [GOOD[0]], sheet="更正"), code=0)["files"][0]
    assert (item["unchanged"], item["resolved"]) == (1, 1)
    assert run(sqlite_url, "quarantine").exit_code == 0


def test_total_row_that_disagrees_is_reported_and_exits_1(sqlite_url: str, tmp_path: Path) -> None:
    run(sqlite_url, "init")
    path = workbook(tmp_path / "t.xlsx", [*GOOD, ["合计", None, None, None, None, None, None, 1000000, 99, None]])
    result = run(sqlite_url, "import", str(path))
    assert result.exit_code == 1
    assert "total differs" in result.stdout and "row 5 (合计)" in result.stdout
    assert "成交金额(元) states 99 元" in result.stdout and "sum to 13295679.40" in result.stdout
    records = json.loads(run(sqlite_url, "records", "--format", "json").stdout)["records"]
    assert len(records) == 3  # the 合计 row is not a record; the rows are posted
    report = run(sqlite_url, "report", "--out", str(tmp_path / "r.xlsx"))
    assert report.exit_code == 1 and "1 source totals that differ" in report.stdout
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["合计核对"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows == [(1, "t.xlsx", "明细", 5, "合计", "成交金额(元)", "元", 99, 13295679.4, -13295580.4, 3, 0)]


def test_progress_on_a_terminal_and_quiet_in_json(sqlite_url: str, tmp_path: Path) -> None:
    """A real pseudo-terminal on stderr: the import shows rows read and posted; --format json shows nothing."""
    import os
    import subprocess
    import sys

    run(sqlite_url, "init")
    path = workbook(tmp_path / "p.xlsx", GOOD)
    screens = []
    for extra in ((), ("--format", "json")):
        leader, follower = os.openpty()
        process = subprocess.run([sys.executable, "-m", "ggzy", "--db", sqlite_url, "import", "--no-check", "--dry-run",
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
    assert "rows read" in screens[0] and "rows posted" in screens[0]
    assert screens[1] == ""


def test_a_total_printed_above_its_rows_covers_the_rows_below(sqlite_url: str, tmp_path: Path) -> None:
    run(sqlite_url, "init")
    path = workbook(tmp_path / "top.xlsx", [["合计", None, None, None, None, None, None, 1000000, "13,295,679.40",
                                             None], *GOOD])
    item = imported(sqlite_url, path, code=0, extra=("--no-check",))["files"][0]
    (check,) = [t for t in item["totals"] if t["column"] == "成交金额(元)"]
    assert (check["status"], check["record_rows"], check["rows_sum"]) == ("ok", 3, "13295679.40")
