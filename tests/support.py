"""Helpers the tests share (importable as `support`: pytest puts tests/ on sys.path). Fixtures are in conftest.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from ggzy.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
BULLETINS = EXAMPLES / "bulletins"
FIXTURES = ROOT / "tests" / "fixtures"

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
