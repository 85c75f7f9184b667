"""Fixtures: real SQLite files, a real PostgreSQL server, the CLI, the demo workbooks."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from ggzy.ledger.schema import init_schema
from ggzy.ledger.store import make_engine
from ledger_census import pytest_addoption, pytest_collection_modifyitems  # noqa: F401 (hooks: the both-databases rule)
from pg_harness import PostgresServer, PostgresUnavailable
from support import EXAMPLES, new_pg_database


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """URL of a PostgreSQL server for the whole session. Missing PostgreSQL fails the tests, unless
    GGZY_SKIP_PG=1 says explicitly to skip them (they are then reported as skipped, not passed)."""
    if os.environ.get("GGZY_TEST_PG_URL"):
        yield os.environ["GGZY_TEST_PG_URL"]
        return
    if os.environ.get("GGZY_SKIP_PG") == "1":
        pytest.skip("GGZY_SKIP_PG=1: PostgreSQL tests skipped on request")
    server = PostgresServer()
    try:
        url = server.start()
    except PostgresUnavailable as exc:
        pytest.fail(f"cannot start PostgreSQL for the tests: {exc}")
    yield url
    server.stop()


@pytest.fixture
def pg_url(pg_admin_url: str) -> str:
    """A fresh, empty database on the test server."""
    return new_pg_database(pg_admin_url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ledger.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on a SQLite file and on PostgreSQL; the schema is initialised."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    engine = make_engine(url)
    init_schema(engine)
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database (no `ggzy init`): a SQLite file about to be made, an empty PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'old.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def haidong(tmp_path: Path) -> Path:
    """A copy of the Haidong sample folder (workbooks + published.yaml) that a test may change."""
    target = tmp_path / "haidong"
    shutil.copytree(EXAMPLES / "haidong-2022Q3", target)
    return target


@pytest.fixture
def ankang(tmp_path: Path) -> Path:
    target = tmp_path / "ankang"
    shutil.copytree(EXAMPLES / "ankang-2018", target)
    return target
