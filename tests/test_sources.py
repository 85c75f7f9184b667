"""Every import keeps the file it read in the ledger (ledger/sources.py): `ggzy source` writes it back byte for byte,
a record's raw cells are read from it (imports/source_cells.py), `verify` hashes it, and a file that changes while
it is imported leaves nothing written. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from support import GOOD, HEADER, run, workbook


def _engine(url: str) -> Engine:
    return create_engine(url.replace("postgresql://", "postgresql+psycopg://"))


def _gbk_csv(path: Path) -> Path:
    """A CSV as a Chinese Excel saves it: GBK, CRLF."""
    lines = [",".join(HEADER), "政府采购,集中采购,CSV-1,01,复印纸（A4）,市本级,成交,\"12,000.00\",11500,2022-07-05"]
    path.write_bytes("\r\n".join(lines).encode("gbk") + b"\r\n")
    return path


def test_source_writes_back_the_imported_bytes(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    book = workbook(tmp_path / "七月.xlsx", GOOD)
    csv_file = _gbk_csv(tmp_path / "八月.csv")
    imported = json.loads(run(ledger_url, "import", "--no-check", "--format", "json", str(book),
                              str(csv_file)).stdout)["files"]
    batches = {Path(f["file"]).name: f["batch_id"] for f in imported}
    out = tmp_path / "out"
    out.mkdir()
    # by batch, into a folder (its own name), and by record (the file its current version came from)
    assert run(ledger_url, "source", str(batches["七月.xlsx"]), "-o", str(out)).exit_code == 0
    assert (out / "七月.xlsx").read_bytes() == book.read_bytes()
    records = json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"]
    from_csv = next(r for r in records if r["project_code"] == "CSV-1")
    written = run(ledger_url, "source", "--record", str(from_csv["id"]), "-o", str(out / "copy.csv"))
    assert written.exit_code == 0 and f"批次 {batches['八月.csv']} 的原始文件" in written.stdout
    assert (out / "copy.csv").read_bytes() == csv_file.read_bytes()
    # to standard output, as bytes
    assert run(ledger_url, "source", str(batches["八月.csv"]), "-o", "-").stdout_bytes == csv_file.read_bytes()
    # an existing file is never overwritten; a batch that is not there, or both or neither of batch and record: 2
    again = run(ledger_url, "source", str(batches["七月.xlsx"]), "-o", str(out))
    assert again.exit_code == 2 and "exists" in again.stderr
    assert (out / "七月.xlsx").read_bytes() == book.read_bytes()
    assert run(ledger_url, "source", "99").exit_code == 2
    assert run(ledger_url, "source").exit_code == 2
    assert run(ledger_url, "source", "1", "--record", "1").exit_code == 2
    assert "no import batch 99" in run(ledger_url, "source", "99").stderr


def test_a_file_is_kept_once_and_in_parts(ledger_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same bytes read again (a record of it was voided since: its row comes back) are a second batch but one
    kept file; a file larger than a part is split and put back together."""
    import ggzy.ledger.sources as sources

    monkeypatch.setattr(sources, "PART", 1000)
    run(ledger_url, "init")
    book = workbook(tmp_path / "p.xlsx", GOOD)
    first = json.loads(run(ledger_url, "import", "--no-check", "--format", "json", str(book)).stdout)["files"][0]
    assert run(ledger_url, "void", "1", "--reason", "误作废").exit_code == 0
    second = json.loads(run(ledger_url, "import", "--no-check", "--format", "json", str(book)).stdout)["files"][0]
    assert first["batch_id"] != second["batch_id"] and (second["status"], second["reimported"]) == ("posted", 1)
    engine = _engine(ledger_url)
    with engine.connect() as conn:
        parts = conn.execute(text("SELECT part, length(data) FROM source_file ORDER BY part")).all()
        sizes = conn.execute(text("SELECT DISTINCT source_bytes FROM import_batch")).scalars().all()
    engine.dispose()
    size = book.stat().st_size
    assert [p for p, _ in parts] == list(range(-(-size // 1000))) and sum(n for _, n in parts) == size
    assert sizes == [size]
    for batch in (first["batch_id"], second["batch_id"]):
        assert run(ledger_url, "source", str(batch), "-o", "-").stdout_bytes == book.read_bytes()
    assert json.loads(run(ledger_url, "verify", "--format", "json").stdout)["ok"] is True


@pytest.mark.parametrize("tamper", ["change", "delete"])
def test_verify_finds_a_kept_file_changed_or_deleted(ledger_url: str, tmp_path: Path, tamper: str) -> None:
    run(ledger_url, "init")
    run(ledger_url, "import", "--no-check", str(workbook(tmp_path / "a.xlsx", GOOD)))
    run(ledger_url, "import", "--no-check", str(_gbk_csv(tmp_path / "b.csv")))
    assert json.loads(run(ledger_url, "verify", "--format", "json").stdout)["ok"] is True
    engine = _engine(ledger_url)
    with engine.begin() as conn:
        sha = conn.execute(text("SELECT sha256 FROM import_batch WHERE id = 2")).scalar_one()
        if tamper == "change":
            conn.execute(text("UPDATE source_file SET data = :d WHERE sha256 = :s"), {"d": b"x,y\r\n", "s": sha})
        else:
            conn.execute(text("DELETE FROM source_file WHERE sha256 = :s"), {"s": sha})
    engine.dispose()
    result = run(ledger_url, "verify", "--format", "json")
    found = json.loads(result.stdout)
    assert result.exit_code == 1 and not found["ok"]
    assert [b["where"] for b in found["breaks"]] == ["batch 2"]
    assert ("changed" if tamper == "change" else "no longer kept") in found["breaks"][0]["detail"]
    assert "b.csv" in found["breaks"][0]["detail"]
    refused = run(ledger_url, "source", "2", "-o", str(tmp_path / "out.csv"))
    assert refused.exit_code == 2 and not (tmp_path / "out.csv").exists()


def test_a_file_changed_while_it_is_imported_leaves_nothing(ledger_url: str, tmp_path: Path) -> None:
    """The file is kept as it is when the batch is written: if its bytes are no longer those read (their SHA-256),
    the import stops, exit 2, and nothing of it is in the ledger."""
    from ggzy.errors import LedgerError
    from ggzy.imports.base import Profile
    from ggzy.imports.service import Progress, read_files
    from ggzy.ledger.posting import post_file
    from ggzy.ledger.store import make_engine

    run(ledger_url, "init")
    book = workbook(tmp_path / "a.xlsx", GOOD)
    engine = make_engine(ledger_url)
    profile = Profile.load(None)
    (read,) = read_files(engine, [book], profile, Progress())
    workbook(book, GOOD[:1])  # saved again meanwhile
    with pytest.raises(LedgerError, match="changed while it was being imported"):
        post_file(engine, book, read.sha256, read.sheets, profile="auto", operator="t", source=book)
    engine.dispose()
    with _engine(ledger_url).connect() as conn:
        counts = [conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                  for t in ("import_batch", "trade_record", "source_file", "chain_link")]
    assert counts == [0, 0, 0, 0]


def test_history_shows_the_raw_cells_of_each_source_row(ledger_url: str, tmp_path: Path) -> None:
    """Posted from a GBK CSV, voided, imported again from a workbook: each version's source row, cell by cell, as
    the importer read it (the CSV decoded as it was; the workbook's number cell as calamine gives it)."""
    run(ledger_url, "init")
    run(ledger_url, "import", "--no-check", str(_gbk_csv(tmp_path / "八月.csv")))
    assert run(ledger_url, "void", "1", "--reason", "金额有误").exit_code == 0
    fixed = ["政府采购", "集中采购", "CSV-1", "01", "复印纸（A4）", "市本级", "成交", 12000, 11400.5, "2022-07-05"]
    run(ledger_url, "import", "--no-check", str(workbook(tmp_path / "更正.xlsx", [fixed])))
    versions = json.loads(run(ledger_url, "history", "1", "--format", "json").stdout)["versions"]
    assert [v["kind"] for v in versions] == ["posted", "void", "reimport"]
    assert versions[0]["raw"] == versions[1]["raw"] == dict(zip(HEADER, [
        "政府采购", "集中采购", "CSV-1", "01", "复印纸（A4）", "市本级", "成交", "12,000.00", "11500", "2022-07-05"],
        strict=True))
    assert versions[2]["raw"]["成交金额(元)"] == "11400.5" and versions[2]["source"] == "更正.xlsx:明细:2"
    shown = run(ledger_url, "history", "1").stdout
    assert "来源行原始内容: 八月.csv:八月:2 (批次 1)" in shown and "来源行原始内容: 更正.xlsx:明细:2 (批次 2)" in shown
    assert "复印纸（A4）" in shown and "12,000.00" in shown
    english = run(ledger_url, "--lang", "en", "history", "1").stdout
    assert "Raw cells of the source row: 八月.csv:八月:2 (Batch 1)" in english
