"""`ggzy check` as a library call: the record, ledger and reconciliation suites over the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl
from ggzy.ledger.columnar import read_frame, record_dtype
from ggzy.ledger.models import ImportBatch
from ggzy.ledger.queries import Scope, records_table, scope_condition
from ggzy.periods import parse_period
from ggzy.rules.engine import RuleSet
from ggzy.rules.level_frames import ledger_summary, reconciliation_checks, record_frame
from ggzy.rules.reconcile import Reconciliation
from ggzy.rules.suites import Finding, Suite, load_suite
from sqlalchemy import select
from sqlalchemy.engine import Engine

#: what the derived columns and the ledger summary need, besides what the suites name
BASE_COLUMNS = ("id", "batch_id", "category", "subcategory", "project_code", "section_code", "name", "winner",
                "region", "status",
                "budget_fen", "control_price_fen", "reserve_fen", "deal_fen", "trade_date", "source_file",
                "source_sheet", "source_row")


def ledger_records(engine: Engine, period: str | None, extra: tuple[str, ...] = ()) -> pl.DataFrame:
    """The ledger's records of ``period`` (all when None) with their file's title, read column-wise."""
    table, batches = records_table(), ImportBatch.__table__
    names = [*BASE_COLUMNS, *(c for c in extra if c in table.c and c not in BASE_COLUMNS)]
    query = (select(*(table.c[n] for n in names), batches.c.title)
             .join(batches, batches.c.id == table.c.batch_id).order_by(table.c.id))
    if period:
        query = query.where(scope_condition(Scope(months=parse_period(period).months), table))
    return read_frame(engine, query, {n: record_dtype(n) for n in [*names, "title"]})


@dataclass
class CheckOutcome:
    findings: list[Finding]
    records: int
    docs_index: Path | None = None

    @property
    def failed_errors(self) -> list[Finding]:
        return [f for f in self.findings if not f.success and f.severity == "error"]


def run_checks(engine: Engine, period: str | None = None, suites: list[Suite] | None = None,
               reconciliation: Reconciliation | None = None, docs: Path | None = None,
               rules: RuleSet | None = None) -> CheckOutcome:
    """Run the record and ledger suites (default: the shipped ones) over the ledger, and the published
    figures of ``reconciliation`` as expectations; with ``docs``, also write Great Expectations Data Docs.
    ``rules``: the rule file that says which categories have which rate base (default: the shipped one)."""
    from ggzy.rules.validation import columns_used, run_suite, run_with_docs

    suites = suites if suites is not None else [load_suite(level="record"), load_suite(level="ledger")]
    record_suites = [s for s in suites if s.level == "record"]
    named = tuple(c for s in record_suites for c in columns_used(s, list(records_table().c.keys())))
    records = ledger_records(engine, period, named)
    frames: dict[str, pl.DataFrame] = {"record": record_frame(records) if record_suites else records}
    if any(s.level == "ledger" for s in suites):
        frames["ledger"] = ledger_summary(records, rules)
    runs = [(s, frames[s.level]) for s in suites]
    if reconciliation is not None:
        runs.append(reconciliation_checks(reconciliation))
    if docs is not None:
        findings, index = run_with_docs(runs, docs)
        return CheckOutcome(findings, records.height, index)
    return CheckOutcome([f for suite, frame in runs for f in run_suite(frame, suite)], records.height)
