"""The both-databases rule (tests/ledger_census.py) fails collection for an unmarked one-database ledger test:
checked by running pytest on a tiny tests folder in another process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent

CONFTEST = '''
import pytest
from ledger_census import pytest_addoption, pytest_collection_modifyitems

@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_url(request):
    return request.param

@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'ledger.db'}"

@pytest.fixture
def pg_url():
    return "postgresql://nowhere/x"
'''
# the tiny tests are module constants: the rule reads a test function's own source, and these say sqlite_url
UNMARKED = ('def test_alone(sqlite_url):\n    run(sqlite_url, "init")\n\n'
            "def test_by_its_source(tmp_path):\n    url = f\"sqlite:///{tmp_path / 'ledger.db'}\"\n\n"
            "def test_on_both(ledger_url):\n    pass\n\n"
            "def test_no_ledger():\n    pass\n")
PG_ONLY = 'def test_roles(pg_url):\n    run(pg_url, "init")\n'
MARKED = ("import pytest\n\n"
          '@pytest.mark.one_database("a SQLite file lock")\n'
          "def test_marked(sqlite_url):\n    pass\n\n"
          "def test_on_both(ledger_url):\n    pass\n\n"
          '@pytest.mark.parametrize("database", ["sqlite", "postgresql"])\n'
          "def test_parametrised(database):\n    pass\n")
OWN_FIXTURE = ("import pytest\n\n"
               "@pytest.fixture\ndef page(tmp_path):\n    return f\"sqlite:///{tmp_path / 'l.db'}\"\n\n"
               "def test_page(page):\n    pass\n")
NO_REASON = "import pytest\n\n{marker}\ndef test_marked(sqlite_url):\n    pass\n"
INI = "[pytest]\nmarkers =\n    one_database(reason): one database, and why\n"


def collect(folder: Path, tests: str, *options: str) -> subprocess.CompletedProcess[str]:
    folder.mkdir()
    (folder / "pytest.ini").write_text(INI, encoding="utf-8")
    (folder / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (folder / "test_tiny.py").write_text(tests, encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                           *options], cwd=folder, env=environment, capture_output=True, text=True, timeout=120)


def test_an_unmarked_sqlite_only_ledger_test_fails_collection(tmp_path: Path) -> None:
    result = collect(tmp_path / "t", UNMARKED)
    assert result.returncode == 4, result.stdout + result.stderr  # a usage error: nothing runs
    assert "2 test(s) use a ledger but break the both-databases rule" in result.stderr
    assert "test_tiny.py::test_alone (only sqlite)" in result.stderr
    assert "test_tiny.py::test_by_its_source (only sqlite)" in result.stderr
    assert "test_on_both" not in result.stderr and "test_no_ledger" not in result.stderr


def test_a_postgresql_only_test_needs_the_marker_too(tmp_path: Path) -> None:
    result = collect(tmp_path / "t", PG_ONLY)
    assert result.returncode == 4 and "test_tiny.py::test_roles (only postgresql)" in result.stderr


def test_marked_and_both_database_tests_collect(tmp_path: Path) -> None:
    result = collect(tmp_path / "t", MARKED, "--ledger-census")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "CENSUS functions=3 ledger=3 both=2 one=1" in result.stdout
    assert "ONE test_tiny.py::test_marked sqlite: a SQLite file lock" in result.stdout


def test_a_fixture_that_makes_its_own_sqlite_ledger_makes_its_test_a_ledger_test(tmp_path: Path) -> None:
    result = collect(tmp_path / "t", OWN_FIXTURE)
    assert result.returncode == 4 and "test_tiny.py::test_page (only sqlite)" in result.stderr


@pytest.mark.parametrize("selection", ["test_tiny.py::test_on_both[sqlite]", "-k sqlite"])
def test_selecting_one_database_of_a_both_database_test_is_no_violation(tmp_path: Path, selection: str) -> None:
    """The rule looks at the function's parameters, not at the items selected (a node id, -k)."""
    result = collect(tmp_path / "t", "def test_on_both(ledger_url):\n    pass\n", *selection.split())
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("marker", ['@pytest.mark.one_database("")', "@pytest.mark.one_database"])
def test_a_marker_without_a_reason_does_not_count(tmp_path: Path, marker: str) -> None:
    result = collect(tmp_path / "t", NO_REASON.format(marker=marker))
    assert result.returncode == 4 and "test_tiny.py::test_marked (only sqlite)" in result.stderr


def test_a_marker_on_a_test_that_runs_on_both_is_an_error(tmp_path: Path) -> None:
    result = collect(tmp_path / "t", 'import pytest\n\n@pytest.mark.one_database("stale")\n'
                     "def test_on_both(ledger_url):\n    pass\n")
    assert result.returncode == 4 and "test_on_both (runs on both, yet is marked one_database)" in result.stderr
