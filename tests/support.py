"""Helpers the tests share (importable as `support`: pytest puts tests/ on sys.path). Fixtures are in conftest.py."""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import openpyxl
import pytest
from click.testing import CliRunner, Result
from ggzy.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
BULLETINS = EXAMPLES / "bulletins"
FIXTURES = ROOT / "tests" / "fixtures"
_db_numbers = itertools.count(1)

# what a layout's golden file keeps of each record (tests/layouts, tests/layouts_unseen)
RECORD_KEYS = ("category", "subcategory", "project_code", "section_code", "name", "region", "status", "method",
               "budget_fen", "control_price_fen", "reserve_fen", "deal_fen", "winner", "trade_date", "source_sheet",
               "source_row")


def load_script(name: str, path: Path) -> ModuleType:
    """A generator script beside its data (make_inputs.py …) loaded as module ``name`` (registered first:
    dataclasses look their module up while the class is made)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


HEADER = ["交易类别", "项目类型", "项目编号", "标段编号", "项目名称", "所属区县", "交易状态", "预算金额(元)",
          "成交金额(元)", "成交日期"]
GOOD = [
    ["政府采购", "集中采购", "CG-001", "01", "办公设备", "市本级", "成交", 1000000, "950,000.50", dt.date(2022, 7, 5)],
    ["工程建设", "房屋建筑", "GC-001", "01", "综合楼", "乐都区", "成交", None, 12345678.9, "2022年7月6日"],
    ["土地使用权", None, "TD-001", None, "宗地1", "民和县", "流拍", None, None, "2022.07.07"],
]


def workbook(path: Path, rows: list[list[object]], header: list[str] = HEADER, sheet: str = "明细") -> Path:
    """A one-sheet workbook: ``header`` then ``rows``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def run(url: str, *args: str) -> Result:
    """Invoke `ggzy --db URL ARGS…` in-process, as a user would."""
    return CliRunner().invoke(main, ["--db", url, "--user", "tester", *args], catch_exceptions=False)


def assert_error_at(load: Callable[[Path], object], path: Path, line: int, message: str) -> None:
    """Loading ``path`` fails with one InputError naming ``path:line`` and saying ``message``."""
    from ggzy.errors import InputError

    with pytest.raises(InputError) as caught:
        load(path)
    assert f"{path}:{line}:" in str(caught.value) and message in str(caught.value)


def table_rows(url: str) -> dict[str, int]:
    """How many rows each table of the ledger at ``url`` holds: "nothing was written" on SQLite and PostgreSQL
    alike (a SQLite file's bytes say it for SQLite only)."""
    from ggzy.ledger.store import make_engine
    from sqlalchemy import func, inspect, select, table

    engine = make_engine(url, create=False)
    try:
        with engine.connect() as conn:
            return {name: conn.execute(select(func.count()).select_from(table(name))).scalar_one()
                    for name in sorted(inspect(conn).get_table_names())}
    finally:
        engine.dispose()


def new_pg_database(pg_admin_url: str) -> str:
    """URL of a fresh, empty database on the test server (for fixtures wider than one test)."""
    from sqlalchemy import create_engine, text

    name = f"ggzy_test_{os.getpid()}_{next(_db_numbers)}"
    admin = create_engine(pg_admin_url.replace("postgresql://", "postgresql+psycopg://"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return pg_admin_url.rsplit("/", 1)[0] + f"/{name}"


def nothing_made(url: str) -> bool:
    """No ledger was made at ``url``: no SQLite file (nor journal), no table in the PostgreSQL database."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        return not path.exists() and not path.with_name(path.name + "-journal").exists()
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        return inspect(engine).get_table_names() == []
    finally:
        engine.dispose()
