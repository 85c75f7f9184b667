"""The ledger's bulk reads go through ADBC, also for scoped queries (a period's months and a scope's regions are
`IN` lists): the slow row-by-row path is taken only when the fast one truly fails, and then it says so."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from ggzy.ledger.columnar import _adbc_read, read_frame, record_dtype
from ggzy.ledger.queries import Scope, records_table, scope_condition
from ggzy.ledger.store import make_engine
from sqlalchemy import select
from support import GOOD, run, workbook


def test_a_scoped_read_takes_the_fast_path(ledger_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert run(ledger_url, "import", str(workbook(tmp_path / "m.xlsx", GOOD))).exit_code == 0
    table = records_table()
    query = (select(table.c.project_code, table.c.deal_fen, table.c.region)
             .where(scope_condition(Scope(regions=("市本级", "乐都区"), months=("2022-07", "2022-08")), table))
             .order_by(table.c.project_code))
    engine = make_engine(ledger_url)
    fast = _adbc_read(engine, query)  # raises rather than fall back: the fast path itself must serve it
    assert fast is not None and fast["project_code"].to_list() == ["CG-001", "GC-001"]
    with caplog.at_level(logging.WARNING, logger="ggzy"):
        frame = read_frame(engine, query, {c: record_dtype(c) for c in ("project_code", "deal_fen", "region")})
    assert frame["deal_fen"].to_list() == [95_000_050, 1_234_567_890] and not caplog.records
    result = run(ledger_url, "check", "--period", "2022-07", "--format", "json")
    assert result.exit_code in (0, 1) and "ADBC" not in result.stderr, result.stderr  # 1: GC-001 has no budget
