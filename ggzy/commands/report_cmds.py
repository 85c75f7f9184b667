"""`ggzy report`: the auditor's exception workbook (and HTML page)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click
from sqlalchemy import select

from ggzy.errors import UsageError
from ggzy.ledger.models import ReconciliationRun
from ggzy.ledger.queries import quarantine_query, total_differences_query
from ggzy.ledger.store import current_operator, describe
from ggzy.periods import parse_period
from ggzy.rules.checking import run_checks


def write_exception_report(settings: Any, out: Path, period: str | None, reconciliation: dict[str, Any] | None,
                           published_file: str | None, rules_file: str | None) -> dict[str, int]:
    """Gather quarantine, expectation failures and the reconciliation, and write the workbook."""
    from ggzy.reports.workbook import ReportData, write_report

    engine = settings.engine()
    with engine.connect() as conn:
        quarantine = [dict(r._mapping) for r in conn.execute(quarantine_query())]
        totals = [dict(r._mapping) for r in conn.execute(total_differences_query())]
    failed = [f for f in run_checks(engine, period).findings if not f.success]
    summary = (reconciliation or {}).get("summary", {})
    counts = {"ok": summary.get("ok", 0), "discrepancy": summary.get("discrepancy", 0),
              "inconsistent": summary.get("inconsistent", 0), "quarantined": len(quarantine),
              "failed_expectations": len(failed), "total_differences": len(totals)}
    zh = settings.lang == "zh"
    meta = [("期间" if zh else "Period", period or ("全部" if zh else "all")),
            ("台账" if zh else "Ledger", describe(engine)),
            ("规则文件" if zh else "Rule file", rules_file or "—"),
            ("公布数据文件" if zh else "Published file", published_file or "—"),
            ("对账一致" if zh else "Figures ok", counts["ok"]),
            ("对账差异" if zh else "Discrepancies", counts["discrepancy"]),
            ("公布数据自相矛盾" if zh else "Inconsistent published figures", counts["inconsistent"]),
            ("隔离行" if zh else "Quarantined rows", counts["quarantined"]),
            ("未通过检查项" if zh else "Failed expectations", counts["failed_expectations"]),
            ("合计行与明细不符" if zh else "Source totals that differ", counts["total_differences"]),
            ("操作人" if zh else "Run by", current_operator(settings.user)),
            ("生成时间" if zh else "Generated at", dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S"))]
    write_report(out, ReportData(meta, reconciliation, quarantine, [f.as_json() for f in failed], totals),
                 settings.lang)
    return counts


@click.command()
@click.option("--period", metavar="P", help="Period of the report (records and reconciliation).")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Workbook to write (.xlsx).")
@click.pass_obj
def report(settings, period, out) -> None:  # type: ignore[no-untyped-def]
    """Write the exception workbook: latest reconciliation of the period, quarantined rows, failed checks.

    Exit 1 when the report holds any exception.
    """
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"--out {out}: the report is an Excel workbook; give a name ending in .xlsx")
    if period:
        parse_period(period)
    query = select(ReconciliationRun).order_by(ReconciliationRun.id.desc()).limit(1)
    if period:
        query = query.where(ReconciliationRun.period == period)
    with settings.engine().connect() as conn:
        run = conn.execute(query).first()
    reconciliation = json.loads(run.result_json) if run else None
    counts = write_exception_report(settings, out, period, reconciliation, run.published_file if run else None,
                                    run.rules_file if run else None)
    click.echo(f"exception report written: {out} ({counts['discrepancy']} discrepancies, {counts['quarantined']} "
               f"quarantined rows, {counts['failed_expectations']} failed expectations, "
               f"{counts['total_differences']} source totals that differ)")
    if any(counts[k] for k in ("discrepancy", "inconsistent", "quarantined", "failed_expectations",
                               "total_differences")):
        raise SystemExit(1)


COMMANDS = [report]
