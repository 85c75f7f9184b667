"""Two `ggzy import` processes at the same time on one PostgreSQL ledger: every record posts once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support import run


def _import(url: str, *files: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "ggzy", "--db", url, "--user", "tester", "import", "--no-check",
                             "--format", "json", *map(str, files)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def test_two_processes_importing_the_same_files_post_each_record_once(pg_url: str, haidong: Path) -> None:
    run(pg_url, "init")
    files = sorted(haidong.glob("*.xlsx"))
    first, second = _import(pg_url, *files), _import(pg_url, *reversed(files))
    outcomes = []
    for process in (first, second):
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
        outcomes += json.loads(stdout)["files"]
    statuses = sorted(o["status"] for o in outcomes)
    assert statuses == ["already_imported"] * 3 + ["posted"] * 3  # each file posted by exactly one process
    records = json.loads(run(pg_url, "records", "--format", "json").stdout)["records"]
    assert len(records) == 554 == len({(r["category"], r["project_code"], r["section_code"]) for r in records})
    rates = json.loads(run(pg_url, "rates", "--by", "", "--format", "json").stdout)
    assert rates["rows"][0]["count"] == 554  # the record totals were written once per record too


def test_two_processes_posting_the_same_records_from_different_files(pg_url: str, haidong: Path,
                                                                     tmp_path: Path) -> None:
    """Different bytes (a re-saved copy), the same records: the natural key's unique constraint decides."""
    import openpyxl

    run(pg_url, "init")
    files = sorted(haidong.glob("*.xlsx"))
    copies = []
    for path in files:
        wb = openpyxl.load_workbook(path)
        wb.properties.title = "re-saved copy"
        copies.append(tmp_path / f"copy-{path.name}")
        wb.save(copies[-1])
    first, second = _import(pg_url, *files), _import(pg_url, *copies)
    outcomes = []
    for process in (first, second):
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
        outcomes += json.loads(stdout)["files"]
    assert sum(o["posted"] for o in outcomes) == 554 and sum(o["unchanged"] for o in outcomes) == 554
    assert all(o["rows"] == o["posted"] + o["unchanged"] for o in outcomes)
    records = json.loads(run(pg_url, "records", "--format", "json").stdout)["records"]
    assert len(records) == 554
