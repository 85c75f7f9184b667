"""Only `ggzy init` creates a ledger: every other command opens an existing one, and a mistyped URL or another
folder is one sentence (exit 2) that leaves nothing behind — no empty ggzy.db, no table names (issue 15)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from ggzy.cli import main
from sqlalchemy import create_engine, inspect
from support import BULLETINS, EXAMPLES, GOOD, run, workbook
from test_migrations import first_release_ledger

TABLES = ("trade_record", "import_batch", "record_amendment", "chain_link", "current_record")


def commands(tmp_path: Path) -> list[list[str]]:
    """Every command but `init`, with arguments that are otherwise valid."""
    july = str(workbook(tmp_path / "july.xlsx", GOOD))
    published = str(EXAMPLES / "haidong-2022Q3" / "published.yaml")
    return [["import", july], ["import", july, "--dry-run"], ["records"], ["rates"], ["reconcile", published],
            ["check"], ["report", "--out", str(tmp_path / "r.xlsx")], ["quarantine"],
            ["resolve", "1", "--reason", "x"], ["source", "1", "-o", str(tmp_path / "out.xlsx")],
            ["amend", "1", "--set", "deal=1", "--reason", "x"], ["void", "1", "--reason", "x"], ["history", "1"],
            ["close", "2022-07"], ["reopen", "2022-07", "--reason", "x"], ["verify"],
            ["db", "grant", "--role", "auditor", "someone"], ["serve", "--port", "8765"]]


@pytest.fixture(params=["sqlite", "postgresql"])
def missing(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    """(URL where no ledger is, what the message calls it): a SQLite file that is not there, an empty PostgreSQL
    database."""
    if request.param == "sqlite":
        path = tmp_path / "typo" / "ledgr.db"
        path.parent.mkdir()
        return f"sqlite:///{path}", str(path)
    url = request.getfixturevalue("pg_url")
    return url, url.rsplit("/", 1)[1]  # the message names the URL, with the database's name


def test_every_command_but_init_refuses_a_missing_ledger_and_creates_nothing(missing: tuple[str, str],
                                                                             tmp_path: Path) -> None:
    url, named = missing
    for args in commands(tmp_path):
        result = run(url, *args)
        assert result.exit_code == 2, (args, result.output)
        assert "no ledger at" in result.stderr and "run `ggzy init` or give --db" in result.stderr, args
        assert named in result.stderr, args
        assert not any(table in result.stderr for table in TABLES), (args, result.stderr)
        assert "Traceback" not in result.output
    if url.startswith("sqlite"):
        assert list((tmp_path / "typo").iterdir()) == []  # no ledgr.db, no journal
    else:
        engine = create_engine(url)
        assert inspect(engine).get_table_names() == []
        engine.dispose()
    assert run(url, "init").exit_code == 0  # init creates it
    assert run(url, "records").exit_code == 0


def test_a_ledger_of_an_older_version_says_to_run_init(empty_url: str) -> None:
    first_release_ledger(empty_url)
    result = run(empty_url, "records")
    assert result.exit_code == 2 and "made by an older version of ggzy: run `ggzy init`" in result.stderr
    assert not any(table in result.stderr for table in TABLES)


def test_bulletin_extract_without_a_ledger_creates_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --db the default ./ggzy.db is consulted for region names only if it is there."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GGZY_DB", raising=False)
    result = CliRunner().invoke(main, ["bulletin", "extract", str(BULLETINS / "haidong-2022Q3.txt")],
                                catch_exceptions=False)
    assert result.exit_code in (0, 1) and "figures:" in result.stdout
    assert not (tmp_path / "ggzy.db").exists()
    assert list(tmp_path.iterdir()) == []


def test_bulletin_extract_with_a_missing_ledger_says_it_reads_without_it(missing: tuple[str, str],
                                                                        tmp_path: Path) -> None:
    url, named = missing
    result = run(url, "bulletin", "extract", str(BULLETINS / "haidong-2022Q3.txt"))
    assert result.exit_code in (0, 1) and "figures:" in result.stdout
    assert re.search(rf"warning: no ledger at \S*{re.escape(named)}[: ]", result.stderr)  # the path, the URL
    assert "without the ledger's region names" in result.stderr
    if url.startswith("sqlite"):
        assert list((tmp_path / "typo").iterdir()) == []
    else:
        engine = create_engine(url)
        assert inspect(engine).get_table_names() == []
        engine.dispose()


@pytest.mark.one_database("a SQLite file's folder that is not there (PostgreSQL has no folder to miss)")
def test_init_in_a_folder_that_is_not_there_says_so(tmp_path: Path) -> None:
    result = run(f"sqlite:///{tmp_path / 'no' / 'such' / 'ledger.db'}", "init")
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert not (tmp_path / "no").exists()
