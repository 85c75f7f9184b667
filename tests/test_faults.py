"""Faults: a process killed mid-import, a second writer, a read-only ledger — nothing half-written."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import create_engine, text
from support import run

ROWS = 60_000


@pytest.fixture(scope="module")
def big_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60,000 records: an import that takes a few seconds, so a kill can land anywhere in it."""
    path = tmp_path_factory.mktemp("faults") / "big.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("明细")
    ws.append(["交易类别", "项目类型", "项目编号", "标段编号", "项目名称", "所属区县", "交易状态", "预算金额(元)",
               "成交金额(元)", "成交日期"])
    for i in range(ROWS):
        ws.append(["政府采购", "分散采购", f"CG-{i:06d}", "01", f"项目{i}", "市本级", "成交", 100_000 + i, 90_000 + i,
                   f"2022-07-{1 + i % 28:02d}"])
    wb.save(path)
    return path


def counts(url: str) -> tuple[int, int]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        found = (conn.execute(text("SELECT COUNT(*) FROM trade_record")).scalar_one(),
                 conn.execute(text("SELECT COUNT(*) FROM import_batch")).scalar_one())
    engine.dispose()
    return found


def ggzy(url: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "ggzy", "--db", url, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_a_killed_import_leaves_nothing_and_the_next_posts_the_file_whole(ledger_url: str, big_workbook: Path,
                                                                          tmp_path: Path) -> None:
    # how long a whole import takes here, so the kills land in its second half, where it writes
    scratch = f"sqlite:///{tmp_path / 'scratch.db'}"
    run(scratch, "init")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ggzy", "--db", scratch, "import", "--no-check", str(big_workbook)],
                   capture_output=True, check=True)
    whole = time.perf_counter() - started
    jitter = random.Random(20261121)
    mid_write = 0
    for fraction in (0.55, 0.65, 0.75, 0.85, 0.95):
        process = ggzy(ledger_url, "import", "--no-check", str(big_workbook))
        time.sleep(whole * fraction * jitter.uniform(0.95, 1.05))
        process.send_signal(signal.SIGKILL)
        process.communicate()
        if ledger_url.startswith("sqlite"):  # a hot journal: the kill landed inside the write transaction
            mid_write += Path(ledger_url.removeprefix("sqlite:///") + "-journal").exists()
        records, batches = counts(ledger_url)
        assert (records, batches) in ((0, 0), (ROWS, 1)), f"killed at {fraction}: {records} records, {batches} batches"
        if batches:
            break  # it finished before the kill: nothing left to interrupt
    if ledger_url.startswith("sqlite"):
        assert mid_write, "no kill landed inside the write transaction; the test proved nothing"
    result = run(ledger_url, "import", "--no-check", "--format", "json", str(big_workbook))
    assert result.exit_code == 0
    (item,) = json.loads(result.stdout)["files"]
    assert item["status"] in ("posted", "already_imported") and item["rows"] == ROWS
    assert counts(ledger_url) == (ROWS, 1)
    assert json.loads(run(ledger_url, "verify", "--format", "json").stdout)["ok"] is True
    total = json.loads(run(ledger_url, "rates", "--by", "", "--format", "json").stdout)["rows"][0]
    assert total["count"] == ROWS


@pytest.mark.one_database("SQLite's file lock: a second writer waits (PostgreSQL writers: test_concurrency)")
def test_a_second_sqlite_writer_waits_for_the_first(sqlite_url: str, tmp_path: Path, big_workbook: Path) -> None:
    run(sqlite_url, "init")
    holder = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock …
    process = ggzy(sqlite_url, "import", "--no-check", "--format", "json", str(big_workbook))
    time.sleep(3)
    assert process.poll() is None  # … the import waits instead of failing or corrupting
    holder.execute("COMMIT")
    holder.close()
    _stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert counts(sqlite_url) == (ROWS, 1)


@pytest.mark.one_database("SQLite's file lock held past the busy timeout")
def test_a_busy_sqlite_ledger_fails_with_one_clear_sentence(sqlite_url: str, tmp_path: Path) -> None:
    from support import GOOD, workbook

    run(sqlite_url, "init")
    holder = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = subprocess.run([sys.executable, "-m", "ggzy", "--db", sqlite_url, "import", "--no-check",
                                 str(workbook(tmp_path / "july.xlsx", GOOD))], capture_output=True, text=True,
                                env={**os.environ, "GGZY_BUSY_TIMEOUT": "1"}, timeout=60)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert " is busy: another program kept it locked for 1 s" in result.stderr and "try again" in result.stderr
    assert counts(sqlite_url) == (0, 0)


@pytest.mark.one_database("a read-only SQLite file (PostgreSQL's read-only role: test_roles)")
def test_a_read_only_ledger_exits_2_and_writes_nothing(sqlite_url: str, tmp_path: Path) -> None:
    """Opened read-only (as a read-only file or share gives it; chmod alone does not stop root, who runs CI)."""
    from support import GOOD, workbook

    run(sqlite_url, "init")
    read_only = sqlite_url.replace("sqlite:///", "sqlite:///file:") + "?mode=ro&uri=true"
    result = run(read_only, "import", "--no-check", str(workbook(tmp_path / "july.xlsx", GOOD)))
    assert result.exit_code == 2, result.output
    assert " is read-only (attempt to write a readonly database); nothing was written" in result.stderr
    assert counts(sqlite_url) == (0, 0)
    assert run(read_only, "records").exit_code == 0  # reading still works


@pytest.mark.one_database("a full disk, made by capping SQLite's page count")
def test_a_full_disk_exits_2_and_writes_nothing(sqlite_url: str, tmp_path: Path, big_workbook: Path) -> None:
    """SQLite's page limit gives the same error a full disk does (SQLITE_FULL), without filling a disk."""
    run(sqlite_url, "init")
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    script = (  # ggzy with SQLite's page limit set on every connection, then the command line after it
        "import sys\n"
        "from ggzy.ledger import store\n"
        "limit, original = int(sys.argv[1]), store._sqlite_pragmas\n"
        "def pragmas(connection, record):\n"
        "    original(connection, record)\n"
        "    connection.execute(f'PRAGMA max_page_count={limit}')\n"
        "store._sqlite_pragmas = pragmas\n"
        "from ggzy.cli import main\n"
        "sys.argv = ['ggzy', *sys.argv[2:]]\n"
        "main()\n")
    limited = subprocess.run([sys.executable, "-c", script, str(pages + 20), "--db", sqlite_url, "import",
                              "--no-check", str(big_workbook)], capture_output=True, text=True, timeout=300)
    assert limited.returncode == 2 and "the disk is full; nothing was written" in limited.stderr, limited.stderr
    assert counts(sqlite_url) == (0, 0)
