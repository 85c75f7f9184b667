"""Reconciliation runs as recorded in the ledger: `ggzy reconcile` appends one; `report` and the web view read them."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from ggzy.ledger.bulk import inserted_id
from ggzy.ledger.models import ReconciliationRun
from ggzy.rules.engine import RuleSet
from ggzy.rules.reconcile import Reconciliation
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine


@dataclass
class Run:
    """A recorded reconciliation: who ran it, when, against which file, and its JSON result."""

    id: int
    ran_at: dt.datetime
    operator: str
    published_file: str
    published_sha256: str
    rules_file: str
    period: str
    ok: int
    discrepancy: int
    inconsistent: int
    result: dict[str, Any]

    def figure(self, figure: int, measure: str) -> dict[str, Any] | None:
        """The result of one (figure, measure) of this run."""
        return next((r for r in self.result["results"] if r["figure"] == figure and r["measure"] == measure), None)


def record_run(engine: Engine, outcome: Reconciliation, published_file: str, rules: RuleSet, operator: str) -> int:
    """Append the reconciliation to the ledger (an auditor's own run is recorded too); returns its id."""
    published = outcome.published
    with engine.begin() as conn:
        return inserted_id(conn.execute(insert(ReconciliationRun.__table__).values(
            ran_at=dt.datetime.now(dt.UTC), operator=operator, published_file=published_file,
            published_sha256=published.sha256, rules_file=rules.source,
            period=published.period.text if published.period else "", **outcome.summary,
            result_json=json.dumps(outcome.as_json(), ensure_ascii=False))))


def _run(row: Any) -> Run:
    values = dict(row._mapping)
    return Run(result=json.loads(values.pop("result_json")), **values)


def latest_run(engine: Engine, period: str | None = None) -> Run | None:
    """The latest run (of ``period`` as written in the published file, when given)."""
    table = ReconciliationRun.__table__
    query = select(table).order_by(table.c.id.desc()).limit(1)
    if period:
        query = query.where(table.c.period == period)
    with engine.connect() as conn:
        row = conn.execute(query).first()
    return _run(row) if row else None


def get_run(engine: Engine, run_id: int) -> Run | None:
    table = ReconciliationRun.__table__
    with engine.connect() as conn:
        row = conn.execute(select(table).where(table.c.id == run_id)).first()
    return _run(row) if row else None


def list_runs(engine: Engine, period: str | None = None) -> list[dict[str, Any]]:
    """Every run, newest first, without its result (period filter: as written in the published file)."""
    table = ReconciliationRun.__table__
    columns = [c for c in table.c if c.name != "result_json"]
    query = select(*columns).order_by(table.c.id.desc())
    if period:
        query = query.where(table.c.period == period)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]
