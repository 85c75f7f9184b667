"""Start-up stays small (issue 17): `ggzy --help`, every command's --help and usage errors import none of the
heavy libraries — they are imported inside the commands that use them. Checked in a fresh interpreter, since
this test process has them all loaded already."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from ggzy.cli import main
from ggzy.commands.options import MONEY_UNITS
from ggzy.money import FEN_PER_UNIT

HEAVY = ("polars", "sqlalchemy", "sqlmodel", "openpyxl", "rich", "pyarrow", "great_expectations", "pandas",
         "numpy", "fastexcel", "alembic", "psycopg", "adbc_driver_manager")

PROBE = """
import json, sys
from ggzy.cli import main
heavy = {heavy!r}
seen = {{}}
for argv in {argvs!r}:
    try:
        main(argv, prog_name="ggzy")
    except SystemExit as stop:
        code = stop.code
    loaded = sorted({{m.split(".")[0] for m in sys.modules}} & set(heavy))
    seen[" ".join(argv)] = [code, loaded]
print(json.dumps(seen))
"""


def _command_paths() -> list[list[str]]:
    """Every command and subcommand, as argv prefixes: import, db grant, bulletin extract, …"""
    paths = []
    for name, command in main.commands.items():
        paths.append([name])
        for sub in getattr(command, "commands", {}):
            paths.append([name, sub])
    return paths


def probe(argvs: list[list[str]]) -> dict[str, list]:
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY, argvs=argvs)], capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_help_and_usage_errors_import_no_heavy_library() -> None:
    argvs = [["--help"], *([*path, "--help"] for path in _command_paths()),
             ["import"],                                   # missing FILE
             ["check", "--format", "xml"],                 # bad choice
             ["--lang", "fr", "records"],                  # bad global option
             ["rates", "--unit", "千元"],                  # bad unit
             ["nonsense"]]                                 # unknown command
    seen = probe(argvs)
    assert seen["--help"][0] == 0
    assert all(seen[" ".join(a)][0] == 2 for a in argvs[-5:]), seen  # click usage errors: exit 2
    loaded = {argv: modules for argv, (_code, modules) in seen.items() if modules}
    assert not loaded, f"heavy libraries imported at start-up: {loaded}"
    assert len(seen) > 15  # every command was asked for its help


@pytest.mark.one_database("start-up cost: the option is refused before any ledger is opened")
def test_a_mistyped_option_value_is_refused_before_any_heavy_import() -> None:
    """A value click cannot check (a period, a grouping, a category word) is checked by the command before it
    imports the ledger, so the error costs what --help costs (the review measured 0.4–0.6 s before)."""
    argvs = [["records", "--period", "bad"], ["rates", "--by", "nonsense"], ["records", "--category", "火星交易"],
             ["check", "--period", "2022-13"], ["rates", "--period", "2022-13"],
             ["report", "--period", "x", "--out", "r.xlsx"], ["records", "--level", "月球"]]
    seen = probe([["--db", "sqlite:///never-made.db", *argv] for argv in argvs])
    assert all(code == 2 for code, _modules in seen.values()), seen
    loaded = {argv: modules for argv, (_code, modules) in seen.items() if modules}
    assert not loaded, f"heavy libraries imported before the option was refused: {loaded}"


@pytest.mark.one_database("start-up probe: one command that loads the ledger code; an in-memory SQLite one")
def test_probe_sees_a_heavy_import() -> None:
    """The probe would notice: a command that does real work loads the libraries it needs."""
    seen = probe([["--db", "sqlite:///:memory:", "init"]])
    assert "sqlalchemy" in next(iter(seen.values()))[1]


def test_money_units_on_the_command_line_are_units_money_converts() -> None:
    assert set(MONEY_UNITS) <= set(FEN_PER_UNIT)
