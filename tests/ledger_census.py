"""Which test functions use a ledger, and on which databases they run (README: tests that use a ledger run on
SQLite and PostgreSQL).

The rule, per test function (all its parametrised items together):
- it uses a ledger when its fixtures include ledger_url, sqlite_url or pg_url, or its source (or that of a
  project fixture it uses, such as test_html_report's ``report_page``) says ``ledger.db``, ``sqlite:///``,
  ``sqlite_url``, ``"init"`` or ``make_engine``;
- it runs on PostgreSQL when an item has the pg_url/pg_admin_url fixture or a parameter "postgresql" (ledger_url
  and local fixtures like test_audit's ``ledger``); on SQLite when an item has a parameter "sqlite", the sqlite_url
  fixture, or its source names a SQLite URL or file (a ledger named by neither is the default SQLite ledger).

tests/conftest.py fails collection when a ledger-using test runs on one database without
``@pytest.mark.one_database("why")``. Print the census with
``.venv/bin/python -m pytest --collect-only -q -p no:cacheprovider --ledger-census`` (tests/conftest.py).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

LEDGER_TEXT = re.compile(r'ledger\.db|sqlite:///|sqlite_url|"init"|make_engine')
SQLITE_TEXT = re.compile(r"ledger\.db|sqlite:///|sqlite_url")
LEDGER_FIXTURES = {"ledger_url", "sqlite_url", "pg_url"}
PG_FIXTURES = {"pg_url", "pg_admin_url"}
MARKER = "one_database"


@dataclass
class Census:
    """One test function: where it was collected, whether it uses a ledger and on which databases."""

    name: str
    ledger: bool = False
    databases: set[str] = field(default_factory=set)
    marked: str | None = None  # the one_database reason
    items: list[pytest.Item] = field(default_factory=list)

    @property
    def both(self) -> bool:
        return self.databases >= {"sqlite", "postgresql"}


def _text(function: Any) -> str:
    try:
        return inspect.getsource(function) if function is not None else ""
    except (OSError, TypeError):
        return ""


def _source(item: pytest.Item) -> str:
    """The test function's source and that of each fixture of the project in its closure (a fixture that makes
    its own SQLite ledger makes its tests ledger tests); pytest's own fixtures are not read."""
    texts = [_text(getattr(item, "function", None))]
    root = str(item.config.rootpath)
    info = getattr(item, "_fixtureinfo", None)
    for definitions in (info.name2fixturedefs.values() if info is not None else ()):
        for definition in definitions:
            if definition.argname in LEDGER_FIXTURES:  # their params and names say it; their sources would not
                continue
            try:
                where = inspect.getsourcefile(definition.func) or ""
            except TypeError:
                continue
            if where.startswith(root) and "site-packages" not in where:
                texts.append(_text(definition.func))
    return "\n".join(texts)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (tuple, list)):
        for inner in value:
            yield from _strings(inner)
    elif hasattr(value, "values") and not isinstance(value, dict):  # pytest.param(...)
        yield from _strings(getattr(value, "values", ()))


def _parameters(item: pytest.Item) -> set[str]:
    """Every string parameter the function is collected with, whichever items were selected (-k, a node id):
    its own parametrize marks and the params of each fixture in its closure."""
    found = set(_strings(list(item.callspec.params.values()))) if hasattr(item, "callspec") else set()
    for mark in item.iter_markers("parametrize"):
        if len(mark.args) > 1:
            found |= set(_strings(list(mark.args[1])))
    info = getattr(item, "_fixtureinfo", None)
    for definitions in (info.name2fixturedefs.values() if info is not None else ()):
        for definition in definitions:
            found |= set(_strings(list(definition.params or ())))
    return found


def census(items: Iterable[pytest.Item]) -> dict[str, Census]:
    """The census of ``items``, keyed by file::function."""
    functions: dict[str, Census] = {}
    for item in items:
        function = getattr(item, "function", None)
        if function is None:
            continue
        key = f"{item.path.name}::{function.__name__}"
        entry = functions.setdefault(key, Census(key))
        entry.items.append(item)
        names = set(getattr(item, "fixturenames", ()))
        source = _source(item)
        params = _parameters(item)
        pg = bool(names & PG_FIXTURES) or bool(params & {"postgresql", "pg"})
        sqlite = "sqlite" in params or "sqlite_url" in names or bool(SQLITE_TEXT.search(source))
        uses = bool(names & LEDGER_FIXTURES) or bool(LEDGER_TEXT.search(source)) or pg or sqlite
        if not uses:
            continue
        entry.ledger = True
        if pg:
            entry.databases.add("postgresql")
        if sqlite or (not pg and "ledger_url" not in names):  # the default ledger is a SQLite file
            entry.databases.add("sqlite")
        mark = item.get_closest_marker(MARKER)
        if mark is not None:
            entry.marked = str(mark.args[0]) if mark.args else ""
    return functions


def unmarked_one_database(functions: dict[str, Census]) -> list[Census]:
    """Ledger-using tests on one database that do not say why (a marker with an empty reason says nothing)."""
    return [c for c in functions.values() if c.ledger and not c.both and not c.marked]


def marked_but_both(functions: dict[str, Census]) -> list[Census]:
    """A one_database marker on a test that runs on both: the marker is wrong."""
    return [c for c in functions.values() if c.ledger and c.both and c.marked is not None]


def report(functions: dict[str, Census]) -> str:
    """The census in a few lines: counts, then every one-database test with its database and reason."""
    ledger = [c for c in functions.values() if c.ledger]
    both = [c for c in ledger if c.both]
    one = sorted((c for c in ledger if not c.both), key=lambda c: c.name)
    lines = [f"CENSUS functions={len(functions)} ledger={len(ledger)} both={len(both)} one={len(one)}"]
    lines += [f"ONE {c.name} {'/'.join(sorted(c.databases))}: {c.marked or 'NO REASON GIVEN'}" for c in one]
    return "\n".join(lines)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--ledger-census", action="store_true",
                     help="print which ledger-using tests run on both databases (tests/ledger_census.py)")


@pytest.hookimpl(tryfirst=True)  # before -k/-m deselect: the rule looks at whole functions
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Fail collection when a ledger-using test runs on one database without saying why."""
    functions = census(items)
    if config.getoption("ledger_census", False):
        print("\n" + report(functions))
    problems = [f"  {c.name} (only {'/'.join(sorted(c.databases))})" for c in unmarked_one_database(functions)]
    problems += [f"  {c.name} (runs on both, yet is marked one_database)" for c in marked_but_both(functions)]
    if problems:
        raise pytest.UsageError(
            f"{len(problems)} test(s) use a ledger but break the both-databases rule: run them on SQLite and "
            "PostgreSQL (the ledger_url fixture) or mark them @pytest.mark.one_database(\"why\") "
            "(tests/ledger_census.py):\n" + "\n".join(problems))
