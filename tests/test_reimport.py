"""Issue 15: a voided record frees its natural key (importing a row with it posts the record's next version); a
batch is a file read under one profile; a file that posts nothing says so. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from support import GOOD, HEADER, run, workbook


def imported(url: str, *files: Path, code: int, extra: tuple[str, ...] = ()) -> dict:
    result = run(url, "import", *map(str, files), "--format", "json", "--no-check", *extra)
    assert result.exit_code == code, result.output
    (item,) = json.loads(result.stdout)["files"]
    assert item["rows"] == item["posted"] + item["unchanged"] + item["quarantined"] + item["conflicts"]
    return item


def records(url: str) -> dict[str, dict]:
    return {r["project_code"]: r for r in json.loads(run(url, "records", "--format", "json").stdout)["records"]}


def history(url: str, record_id: int) -> list[dict]:
    return json.loads(run(url, "history", str(record_id), "--format", "json").stdout)["versions"]


def verify_ok(url: str) -> bool:
    result = run(url, "verify", "--format", "json")
    return result.exit_code == 0 and json.loads(result.stdout)["ok"]


def open_quarantine(url: str) -> list[dict]:
    return json.loads(run(url, "quarantine", "--format", "json").stdout)["quarantine"]


def corrected_rows() -> list[list[object]]:
    """GOOD with GC-001's deal corrected from 12,345,678.90 to 12,000,000 元. (Workbooks written in the same second
    with the same rows are the same bytes: tests give them other sheet names where they must differ.)"""
    rows = [list(r) for r in GOOD]
    rows[1][8] = 12_000_000
    return rows


def test_void_then_the_corrected_file_posts_the_next_version(ledger_url: str, tmp_path: Path) -> None:
    """The issue's path: conflicts, void, import the corrected file again — the deals come back."""
    imported(ledger_url, workbook(tmp_path / "july.xlsx", GOOD), code=0)
    corrected = workbook(tmp_path / "corrected.xlsx", corrected_rows())
    first = imported(ledger_url, corrected, code=1)
    assert (first["posted"], first["unchanged"], first["conflicts"]) == (0, 2, 1)
    (held,) = open_quarantine(ledger_url)
    assert "void it and import this row again" in held["reasons"]
    record_id = records(ledger_url)["GC-001"]["id"]
    assert run(ledger_url, "void", str(record_id), "--reason", "成交金额更正").exit_code == 0
    assert "GC-001" not in records(ledger_url)

    again = imported(ledger_url, corrected, code=0)  # the same file: read again, its conflict's record was voided
    assert (again["status"], again["posted"], again["reimported"], again["unchanged"], again["conflicts"],
            again["resolved"]) == ("posted", 1, 1, 2, 0, 1)
    assert open_quarantine(ledger_url) == []
    back = records(ledger_url)["GC-001"]
    assert (back["id"], back["deal_fen"], back["source_file"], back["source_row"]) == \
        (record_id, 1_200_000_000, "corrected.xlsx", 3)
    versions = history(ledger_url, record_id)
    assert [v["kind"] for v in versions] == ["posted", "void", "reimport"]
    assert versions[1]["reason"] == "成交金额更正"
    assert versions[2]["changes"] == {"deal_fen": [1_234_567_890, 1_200_000_000]}
    assert versions[2]["source"] == "corrected.xlsx:明细:3" and versions[2]["batch_id"] == again["batch_id"]
    assert verify_ok(ledger_url)
    # rates and reconcile see the new version: 950,000.50 + 12,000,000 元 of deals
    rates = json.loads(run(ledger_url, "rates", "--by", "", "--unit", "元", "--format", "json").stdout)["rows"][0]
    assert (rates["count"], rates["amount"]) == (3, "12950000.50")
    published = tmp_path / "published.yaml"
    published.write_text("period: 2022-07\nunit: 元\nfigures:\n  - {category: 工程建设, count: 1, amount: 12000000}\n",
                         encoding="utf-8")
    result = run(ledger_url, "reconcile", str(published), "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["summary"]["discrepancy"] == 0
    # a third import of the same file changes nothing
    assert imported(ledger_url, corrected, code=0)["status"] == "already_imported"


def test_the_next_version_can_be_amended_voided_and_imported_again(ledger_url: str, tmp_path: Path) -> None:
    imported(ledger_url, workbook(tmp_path / "july.xlsx", GOOD), code=0)
    record_id = records(ledger_url)["GC-001"]["id"]
    run(ledger_url, "void", str(record_id), "--reason", "作废")
    item = imported(ledger_url, workbook(tmp_path / "august.xlsx", corrected_rows()), code=0)
    assert (item["posted"], item["reimported"], item["unchanged"]) == (1, 1, 2)
    assert run(ledger_url, "amend", str(record_id), "--set", "winner=乙公司", "--reason", "补充中标人").exit_code == 0
    amended = records(ledger_url)["GC-001"]
    assert (amended["winner"], amended["source_file"]) == ("乙公司", "august.xlsx")  # provenance stays the row's
    # a file with the amended record's source row: unchanged (it is the version last imported)
    resent = workbook(tmp_path / "resent.xlsx", corrected_rows(), sheet="重发")
    assert imported(ledger_url, resent, code=0)["unchanged"] == 3
    # the original July row now differs from the version last imported: a conflict, held, never lost
    assert imported(ledger_url, workbook(tmp_path / "old.xlsx", GOOD, sheet="原表"), code=1)["conflicts"] == 1
    run(ledger_url, "void", str(record_id), "--reason", "再次作废")
    assert imported(ledger_url, workbook(tmp_path / "old2.xlsx", GOOD, sheet="原表二"), code=0)["reimported"] == 1
    assert [v["kind"] for v in history(ledger_url, record_id)] == ["posted", "void", "reimport", "amend", "void",
                                                                   "reimport"]
    assert records(ledger_url)["GC-001"]["deal_fen"] == 1_234_567_890
    # the conflict held from old.xlsx is resolved: its key was posted again
    assert open_quarantine(ledger_url) == []
    assert verify_ok(ledger_url)
    rates = json.loads(run(ledger_url, "rates", "--by", "", "--unit", "元", "--format", "json").stdout)["rows"][0]
    assert (rates["count"], rates["amount"]) == (3, "13295679.40")


def test_amending_a_voided_record_explains_the_reimport_path(ledger_url: str, tmp_path: Path) -> None:
    imported(ledger_url, workbook(tmp_path / "july.xlsx", GOOD), code=0)
    record_id = records(ledger_url)["GC-001"]["id"]
    run(ledger_url, "void", str(record_id), "--reason", "x")
    result = run(ledger_url, "amend", str(record_id), "--set", "deal=1", "--reason", "x")
    assert result.exit_code == 2
    assert "import the corrected row (same category, project code GC-001 and section code 01)" in result.stderr
    assert "posted as this record's next version" in result.stderr and f"ggzy history {record_id}" in result.stderr


def test_an_amendment_that_matches_the_held_row_resolves_it_on_the_next_import(ledger_url: str,
                                                                                 tmp_path: Path) -> None:
    """"Amend it" is the other way out of a conflict: once the record says what the file says, the file's row is
    unchanged, and importing the file again resolves the held row."""
    imported(ledger_url, workbook(tmp_path / "july.xlsx", GOOD), code=0)
    corrected = workbook(tmp_path / "corrected.xlsx", corrected_rows())
    imported(ledger_url, corrected, code=1)
    record_id = records(ledger_url)["GC-001"]["id"]
    run(ledger_url, "amend", str(record_id), "--set", "deal=12000000", "--reason", "按更正公告")
    item = imported(ledger_url, corrected, code=0)
    assert (item["status"], item["unchanged"], item["resolved"]) == ("nothing_posted", 3, 1)
    assert open_quarantine(ledger_url) == []
    assert verify_ok(ledger_url)


def _unlabelled_workbook(path: Path) -> Path:
    """No category column, the project code under a header no reader knows: the automatic profile cannot read
    the rows, a profile can."""
    header = ["甲栏", "标段编号", "项目名称", "交易状态", "成交金额(元)", "成交日期"]
    rows = [["CG-101", "01", "打印机", "成交", 1000, "2022-07-01"],
            ["CG-102", "01", "复印纸", "成交", 200, "2022-07-02"],
            ["CG-103", "01", "桌椅", "流标", None, "2022-07-03"]]
    return workbook(path, rows, header=header)


def test_the_same_file_under_another_profile_is_read_again(ledger_url: str, tmp_path: Path) -> None:
    path = _unlabelled_workbook(tmp_path / "procurement.xlsx")
    first = imported(ledger_url, path, code=1)
    assert (first["status"], first["posted"], first["quarantined"]) == ("nothing_posted", 0, 3)
    # the same file, the same profile: already imported, and its rows are counted as they stand (still held)
    again = imported(ledger_url, path, code=1)
    assert (again["status"], again["unchanged"], again["quarantined"], again["batch_id"]) == \
        ("already_imported", 0, 3, first["batch_id"])
    profile = tmp_path / "procurement.yaml"
    profile.write_text("name: procurement\ncategory: 政府采购\ncolumns:\n  甲栏: project_code\n", encoding="utf-8")
    read = imported(ledger_url, path, code=0, extra=("--profile", str(profile)))
    assert (read["status"], read["posted"], read["quarantined"], read["resolved"]) == ("posted", 3, 0, 3)
    assert read["batch_id"] != first["batch_id"]
    assert open_quarantine(ledger_url) == []
    every = json.loads(run(ledger_url, "quarantine", "--all", "--format", "json").stdout)["quarantine"]
    assert {(r["source_row"], r["resolved_how"], r["resolved_by_batch"]) for r in every} == \
        {(2, "posted", read["batch_id"]), (3, "posted", read["batch_id"]), (4, "posted", read["batch_id"])}
    assert sorted(records(ledger_url)) == ["CG-101", "CG-102", "CG-103"]
    # the file under that profile again: nothing to do; under the automatic profile again: nothing either
    assert imported(ledger_url, path, code=0, extra=("--profile", str(profile)))["status"] == "already_imported"
    assert imported(ledger_url, path, code=0)["quarantined"] == 0  # its held rows were resolved
    # the same settings under another name read the file the same way: the same batch
    renamed = tmp_path / "renamed.yaml"
    renamed.write_text(profile.read_text(encoding="utf-8").replace("procurement\n", "other\n", 1), encoding="utf-8")
    assert imported(ledger_url, path, code=0, extra=("--profile", str(renamed)))["status"] == "already_imported"
    assert verify_ok(ledger_url)


def test_a_file_that_posts_nothing_does_not_say_posted(ledger_url: str, tmp_path: Path) -> None:
    """A GBK CSV whose rows are all held, and a re-saved copy whose rows are all unchanged."""
    csv = tmp_path / "gbk.csv"
    lines = [",".join(HEADER), "政府采购,分散采购,CG-201,01,x,市本级,成交,100,约九十,2022-07-08",
             "火星交易,,XX-001,01,x,市本级,成交,100,50,2022-07-08"]
    csv.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    item = imported(ledger_url, csv, code=1)
    assert (item["status"], item["posted"], item["quarantined"]) == ("nothing_posted", 0, 2)
    july = workbook(tmp_path / "july.xlsx", GOOD)
    imported(ledger_url, july, code=0)
    copy = tmp_path / "july-copy.xlsx"
    book = openpyxl.load_workbook(july)
    book.properties.title = "re-saved"
    book.save(copy)
    again = imported(ledger_url, copy, code=0)
    assert (again["status"], again["unchanged"]) == ("nothing_posted", 3)
    dry = run(ledger_url, "import", str(workbook(tmp_path / "held.xlsx", [["火星交易", None, "XX-9", "01", "x",
                                                                        "市本级", "成交", 1, 1, "2022-07-01"]])),
              "--no-check", "--dry-run", "--format", "json")
    assert json.loads(dry.stdout)["files"][0]["status"] == "nothing_posted"


def _links(url: str) -> int:
    return json.loads(run(url, "verify", "--format", "json").stdout)["links"]


def test_a_record_voided_by_mistake_comes_back_from_its_own_file(ledger_url: str, tmp_path: Path) -> None:
    """Review of issue 15: `void 3`, then the original file → it said already_imported, unchanged, and `amend 3` sent
    the user to import the row again, which did nothing. A correction since the file's reading makes it read again."""
    july = workbook(tmp_path / "july.xlsx", GOOD)
    imported(ledger_url, july, code=0)
    record_id = records(ledger_url)["GC-001"]["id"]
    assert run(ledger_url, "void", str(record_id), "--reason", "误作废").exit_code == 0
    refused = run(ledger_url, "amend", str(record_id), "--set", "deal=1", "--reason", "x")
    assert refused.exit_code == 2 and "import the corrected row" in refused.stderr
    back = imported(ledger_url, july, code=0)
    assert (back["status"], back["posted"], back["reimported"], back["unchanged"]) == ("posted", 1, 1, 2)
    assert records(ledger_url)["GC-001"]["id"] == record_id
    versions = history(ledger_url, record_id)
    assert [v["kind"] for v in versions] == ["posted", "void", "reimport"] and versions[2]["changes"] == {}
    assert versions[2]["source"] == "july.xlsx:明细:3" and versions[2]["batch_id"] == back["batch_id"]
    links = _links(ledger_url)
    again = imported(ledger_url, july, code=0)
    assert (again["status"], again["unchanged"], again["batch_id"]) == ("already_imported", 3, back["batch_id"])
    assert _links(ledger_url) == links and verify_ok(ledger_url)


def test_importing_again_when_nothing_changed_writes_nothing(ledger_url: str, tmp_path: Path) -> None:
    """"Re-import changes nothing" stays true: a file read again (a record amended since, another profile, rows of it
    still held) whose reading changes nothing writes nothing, and counts its rows as they stand."""
    july = workbook(tmp_path / "july.xlsx", [*GOOD, ["火星交易", None, "XX-1", "01", "x", "市本级", "成交", 1, 1,
                                                      "2022-07-01"]])
    first = imported(ledger_url, july, code=1)
    links = _links(ledger_url)
    again = imported(ledger_url, july, code=1)  # read again (a row of it is held); held again identically
    assert (again["status"], again["batch_id"], again["unchanged"], again["quarantined"]) == \
        ("already_imported", first["batch_id"], 3, 1)
    record_id = records(ledger_url)["CG-001"]["id"]
    run(ledger_url, "amend", str(record_id), "--set", "winner=甲公司", "--reason", "补充中标人")
    links = _links(ledger_url)
    assert imported(ledger_url, july, code=1)["status"] == "already_imported"  # the amended record: unchanged
    profile = tmp_path / "other.yaml"
    profile.write_text("name: other\nunit: 元\n", encoding="utf-8")
    other = imported(ledger_url, july, code=1, extra=("--profile", str(profile)))
    assert (other["status"], other["batch_id"], other["quarantined"]) == ("already_imported", first["batch_id"], 1)
    assert _links(ledger_url) == links
    (held,) = open_quarantine(ledger_url)
    assert held["batch_id"] == first["batch_id"]  # one entry for the row, never a copy per reading
    assert len(json.loads(run(ledger_url, "quarantine", "--all", "--format", "json").stdout)["quarantine"]) == 1


def test_a_word_added_as_the_message_says_lets_the_same_file_post(ledger_url: str, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Review of issue 15: `unknown category '工程': add it to ggzy.d/categories.yaml` — done, then the same file said
    already_imported and the rows stayed held. The vocabulary is part of what a reading depends on."""
    words = tmp_path / "ggzy.d"
    words.mkdir()
    monkeypatch.setenv("GGZY_VOCAB_DIR", str(words))
    rows = [list(r) for r in GOOD]
    rows[1][0] = "测试类别乙"
    july = workbook(tmp_path / "july.xlsx", rows)
    first = imported(ledger_url, july, code=1)
    (held,) = open_quarantine(ledger_url)
    assert f"unknown category '测试类别乙': add it to {words / 'categories.yaml'} or fix the cell" in held["reasons"]
    (words / "categories.yaml").write_text("categories:\n  construction:\n    aliases: [测试类别乙]\n",
                                           encoding="utf-8")
    item = imported(ledger_url, july, code=0)
    assert (item["status"], item["posted"], item["unchanged"], item["resolved"]) == ("posted", 1, 2, 1)
    assert item["batch_id"] != first["batch_id"] and open_quarantine(ledger_url) == []
    assert records(ledger_url)["GC-001"]["category"] == "construction"
    assert imported(ledger_url, july, code=0)["status"] == "already_imported"
    # another word added later, which changes nothing for this file: read again, nothing written
    links = _links(ledger_url)
    (words / "categories.yaml").write_text("categories:\n  construction:\n    aliases: [测试类别乙, 工程项目]\n",
                                           encoding="utf-8")
    assert imported(ledger_url, july, code=0)["status"] == "already_imported"
    assert _links(ledger_url) == links and verify_ok(ledger_url)


def test_a_row_held_again_for_another_reason_is_never_left_with_a_stale_one(ledger_url: str, tmp_path: Path) -> None:
    """A conflict's reason names the ledger's values; the record is amended, then amended back: each reading holds
    the row with the reason of the day, and the open entry is never one whose reason is stale (the row held again
    exactly as a resolved earlier entry still supersedes the open one that says something else)."""
    imported(ledger_url, workbook(tmp_path / "july.xlsx", GOOD), code=0)
    corrected = workbook(tmp_path / "corrected.xlsx", corrected_rows())
    imported(ledger_url, corrected, code=1)
    record_id = records(ledger_url)["GC-001"]["id"]
    for deal, shown in (("1", "1.00"), ("12345678.90", "12,345,678.90")):
        run(ledger_url, "amend", str(record_id), "--set", f"deal={deal}", "--unit", "元", "--reason", "更正")
        item = imported(ledger_url, corrected, code=1)
        assert (item["status"], item["conflicts"], item["resolved"]) == ("nothing_posted", 1, 1)
        (held,) = open_quarantine(ledger_url)
        assert f"deal {shown} 元 → 12,000,000.00 元" in held["reasons"] and held["batch_id"] == item["batch_id"]
    assert imported(ledger_url, corrected, code=1)["status"] == "already_imported"


def test_a_file_with_a_key_twice_says_the_same_at_every_reading(ledger_url: str, tmp_path: Path) -> None:
    """Its second row conflicts with its first whatever the ledger held before (the key new, posted by it, voided
    and re-imported by it): the same reason each time, so importing it again changes nothing."""
    twice = workbook(tmp_path / "twice.xlsx", [GOOD[0], [*GOOD[0][:9], "2022-08-05"]])
    first = imported(ledger_url, twice, code=1)
    assert (first["posted"], first["conflicts"]) == (1, 1)
    assert imported(ledger_url, twice, code=1)["status"] == "already_imported"
    run(ledger_url, "void", "1", "--reason", "作废")
    assert (imported(ledger_url, twice, code=1)["reimported"]) == 1
    assert imported(ledger_url, twice, code=1)["status"] == "already_imported"
    (held,) = open_quarantine(ledger_url)
    assert held["batch_id"] == first["batch_id"] and held["reasons"].startswith(
        "sheet 明细 row 2 of this file has the same key CG-001/01 (政府采购) with other values (that row → this row: "
        "trade_date 2022-07-05 → 2022-08-05)")
