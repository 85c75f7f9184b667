"""Issue 15 (review): a held row is resolved only by a row that is it — the same source row read again, a row whose
content or cells it equals — or by the user, who names the record (`ggzy resolve`). An unrelated record that shares
its project code leaves it held. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from support import GOOD, run, workbook

HEADER = "项目编号,项目名称,交易类别,预算金额(元),成交金额(元),成交日期"


def gbk_csv(path: Path, *lines: str) -> Path:
    path.write_bytes(("\n".join([HEADER, *lines]) + "\n").encode("gbk"))
    return path


def imported(url: str, path: Path, code: int) -> dict:
    result = run(url, "import", str(path), "--no-check", "--format", "json")
    assert result.exit_code == code, result.output
    (item,) = json.loads(result.stdout)["files"]
    assert item["rows"] == item["posted"] + item["unchanged"] + item["quarantined"] + item["conflicts"]
    return item


def quarantine(url: str, *extra: str) -> list[dict]:
    return json.loads(run(url, "quarantine", "--format", "json", *extra).stdout)["quarantine"]


def records(url: str) -> dict[tuple[str, str], dict]:
    return {(r["category"], r["project_code"]): r
            for r in json.loads(run(url, "records", "--format", "json").stdout)["records"]}


@pytest.fixture
def vocabulary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's own words folder, empty to begin with."""
    folder = tmp_path / "ggzy.d"
    folder.mkdir()
    monkeypatch.setenv("GGZY_VOCAB_DIR", str(folder))
    return folder


def test_an_unrelated_record_with_the_same_project_code_leaves_a_held_row_held(ledger_url: str, tmp_path: Path,
                                                                               vocabulary: Path) -> None:
    """The review's case: 乙 (code C2, category unknown, 90 元) was marked resolved when a land parcel from another
    file with code C2 was posted, and its content was in no record. Now it stays held; the message's own fix then
    posts it, resolved onto the record that holds it."""
    run(ledger_url, "init")
    held_file = gbk_csv(tmp_path / "政府采购2024年5月.csv", "C1,甲,未知类,100,90,2024-05-01",
                        "C2,乙,未知类,100,90,2024年5月2日")
    assert imported(ledger_url, held_file, code=1)["status"] == "nothing_posted"
    land = tmp_path / "land.csv"
    land.write_text("项目编号,项目名称,交易类别,底价(元),成交金额(元),成交日期\nC2,完全不同的宗地,土地,5000000,5200000,"
                    "2024-06-01\n", encoding="utf-8")
    assert imported(ledger_url, land, code=0)["resolved"] == 0
    assert [(e["project_code"], e["raw"]["项目名称"]) for e in quarantine(ledger_url)] == [("C1", "甲"), ("C2", "乙")]
    assert run(ledger_url, "quarantine").exit_code == 1
    # the fix the message names: the word, in the file it names; then the same file again
    (first, _) = quarantine(ledger_url)
    assert f"add it to {vocabulary / 'categories.yaml'}" in first["reasons"]
    (vocabulary / "categories.yaml").write_text("categories:\n  procurement:\n    aliases: [未知类]\n",
                                                encoding="utf-8")
    again = imported(ledger_url, held_file, code=0)
    assert (again["status"], again["posted"], again["resolved"]) == ("posted", 2, 2)
    assert quarantine(ledger_url) == []
    listed = records(ledger_url)
    onto = {e["raw"]["项目名称"]: (e["resolved_how"], e["resolved_record"]) for e in quarantine(ledger_url, "--all")}
    assert onto == {"甲": ("posted", listed[("procurement", "C1")]["id"]),
                    "乙": ("posted", listed[("procurement", "C2")]["id"])}
    assert listed[("land", "C2")]["deal_fen"] == 520_000_000 and listed[("procurement", "C2")]["deal_fen"] == 9000
    assert imported(ledger_url, held_file, code=0)["status"] == "already_imported"
    assert json.loads(run(ledger_url, "verify", "--format", "json").stdout)["ok"] is True


def test_the_same_cells_in_another_file_resolve_a_held_row(ledger_url: str, tmp_path: Path,
                                                           vocabulary: Path) -> None:
    """A re-saved copy under another name, read with the word added: its row has exactly the held row's cells, so it
    is that row — and a row that only shares the code (the corrected amount) is not."""
    run(ledger_url, "init")
    imported(ledger_url, gbk_csv(tmp_path / "a.csv", "C1,甲,未知类,100,90,2024-05-01", "C2,乙,政府采购,100,约九十,"
                                 "2024-05-02"), code=1)
    (vocabulary / "categories.yaml").write_text("categories:\n  procurement:\n    aliases: [未知类]\n",
                                                encoding="utf-8")
    copy = imported(ledger_url, gbk_csv(tmp_path / "b.csv", "C1,甲,未知类,100,90,2024-05-01",
                                        "C2,乙,政府采购,100,90,2024-05-02"), code=0)
    assert (copy["posted"], copy["resolved"]) == (2, 1)
    (still,) = quarantine(ledger_url)
    assert (still["source_file"], still["project_code"]) == ("a.csv", "C2")  # 约九十 is not 90: the user decides


def test_a_row_in_the_same_place_of_a_corrected_copy_is_it_only_with_its_codes(ledger_url: str,
                                                                               tmp_path: Path) -> None:
    """The same file name, corrected, with a row inserted: row 5 is now another project, which does not resolve the
    held row 5; the held row, moved to row 6 and corrected, has another place: it stays held until resolved."""
    run(ledger_url, "init")
    bad = [*GOOD, ["政府采购", "分散采购", "CG-002", "01", "x", "市本级", "成交", 100, "约九十", "2022-07-08"]]
    (tmp_path / "v1").mkdir(), (tmp_path / "v2").mkdir()
    first = imported(ledger_url, workbook(tmp_path / "v1" / "july.xlsx", bad), code=1)
    inserted = [*GOOD, ["政府采购", "分散采购", "CG-777", "01", "y", "市本级", "成交", 100, 50, "2022-07-09"],
                [*bad[3][:8], 90, bad[3][9]]]
    item = imported(ledger_url, workbook(tmp_path / "v2" / "july.xlsx", inserted), code=0)
    assert (item["posted"], item["resolved"]) == (2, 0)
    (held,) = quarantine(ledger_url)
    assert (held["batch_id"], held["source_row"], held["project_code"]) == (first["batch_id"], 5, "CG-002")
    cg002 = records(ledger_url)[("procurement", "CG-002")]["id"]
    resolved = run(ledger_url, "resolve", str(held["id"]), "--record", str(cg002), "--reason", "更正表第6行即此行")
    assert resolved.exit_code == 0 and f"记录 {cg002}" in resolved.stdout
    (entry,) = quarantine(ledger_url, "--all")
    assert (entry["resolved_how"], entry["resolved_record"], entry["resolved_operator"], entry["resolved_reason"]) == \
        ("confirmed", cg002, "tester", "更正表第6行即此行")
    assert f"tester 确认由记录 {cg002} 承载: 更正表第6行即此行" in run(ledger_url, "quarantine", "--all", "--format",
                                                                  "csv").stdout


def test_resolving_by_hand_names_the_record_says_why_and_is_in_the_chain(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    imported(ledger_url, workbook(tmp_path / "a.xlsx", GOOD), code=0)
    changed = [list(r) for r in GOOD]
    changed[0][8], changed[1][8] = 1, "约九十"
    imported(ledger_url, workbook(tmp_path / "b.xlsx", changed), code=1)
    invalid, conflict = sorted(quarantine(ledger_url), key=lambda e: e["kind"], reverse=True)
    listed = records(ledger_url)
    refusals = [
        ((str(conflict["id"]), "--reason", " "), "--reason is required"),
        (("999", "--reason", "x"), "no held row 999"),
        ((str(invalid["id"]), "--reason", "x"), "names no record: give the record that holds it, --record ID"),
        ((str(invalid["id"]), "--record", str(listed[("procurement", "CG-001")]["id"]), "--reason", "x"),
         "has category procurement, held row"),
        ((str(invalid["id"]), "--record", "999", "--reason", "x"), "record 999 is not in the ledger"),
    ]
    for args, message in refusals:
        result = run(ledger_url, "resolve", *args)
        assert result.exit_code == 2 and message in result.stderr, (args, result.output)
    assert len(quarantine(ledger_url)) == 2  # nothing was written
    done = json.loads(run(ledger_url, "resolve", str(conflict["id"]), "--reason", "以台账为准", "--format",
                          "json").stdout)
    assert done["record_id"] == listed[("procurement", "CG-001")]["id"] == conflict["existing_record_id"]
    again = run(ledger_url, "resolve", str(conflict["id"]), "--reason", "x")
    assert again.exit_code == 2 and "already resolved (confirmed" in again.stderr
    gc = listed[("construction", "GC-001")]["id"]
    assert run(ledger_url, "void", str(gc), "--reason", "作废").exit_code == 0
    voided = run(ledger_url, "resolve", str(invalid["id"]), "--record", str(gc), "--reason", "x")
    assert voided.exit_code == 2 and "voided" in voided.stderr
    verified = json.loads(run(ledger_url, "verify", "--format", "json").stdout)
    assert verified["ok"] and verified["links"] == 4  # two batches, the resolution, the void
    # the resolution is a link of the chain: changed behind the tool's back, verify names it
    from ggzy.ledger.store import make_engine

    engine = make_engine(ledger_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE quarantine_resolution SET reason = 'x' WHERE id = :id"),
                     {"id": done["resolution_id"]})
    broken = json.loads(run(ledger_url, "verify", "--format", "json").stdout)
    assert not broken["ok"] and f"(resolution {done['resolution_id']})" in broken["breaks"][0]["where"]
    with engine.begin() as conn:  # and one slipped in behind its back (hiding a held row) is found too
        conn.execute(text("UPDATE quarantine_resolution SET reason = '以台账为准' WHERE id = :id"),
                     {"id": done["resolution_id"]})
        conn.execute(text("INSERT INTO quarantine_resolution (quarantined_row_id, batch_id, how, resolved_at) "
                          "VALUES (:row, 1, 'posted', '2024-01-01')"), {"row": invalid["id"]})
    engine.dispose()
    forged = json.loads(run(ledger_url, "verify", "--format", "json").stdout)
    assert not forged["ok"] and forged["breaks"][0]["where"].startswith("resolution ")


def test_an_import_resolution_is_covered_by_its_batch(ledger_url: str, tmp_path: Path) -> None:
    """A held row an import resolved: changing that resolution (its record, how) breaks its batch's link."""
    run(ledger_url, "init")
    bad = [[*GOOD[0][:8], "约九十", GOOD[0][9]]]
    (tmp_path / "v1").mkdir(), (tmp_path / "v2").mkdir()
    imported(ledger_url, workbook(tmp_path / "v1" / "july.xlsx", bad), code=1)
    bad[0][8] = 90
    item = imported(ledger_url, workbook(tmp_path / "v2" / "july.xlsx", bad), code=0)
    assert item["resolved"] == 1
    from ggzy.ledger.store import make_engine

    engine = make_engine(ledger_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE quarantine_resolution SET how = 'unchanged'"))
    engine.dispose()
    broken = json.loads(run(ledger_url, "verify", "--format", "json").stdout)
    assert not broken["ok"] and f"(batch {item['batch_id']})" in broken["breaks"][0]["where"]
