"""Everything an exception report shows, gathered from the ledger once; the workbook and the HTML writers only
format it (and the web view shows the same parts page by page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ggzy.errors import GgzyError
from ggzy.ledger.store import describe
from ggzy.reports.labels import LABELS, period_label
from ggzy.reports.rate_tables import RateTables, rate_tables
from ggzy.reports.trail import Trail, audit_trail
from ggzy.rules.drill import Breakdown, breakdown, scope_records
from ggzy.rules.engine import RuleSet, load_rules
from ggzy.rules.evidence import Evidence, evidence
from ggzy.rules.runs import Run
from sqlalchemy.engine import Engine

WORKBOOK_RECORDS = 10_000  # records listed per discrepancy in the workbook (the web view pages through all)


@dataclass
class Discrepancy:
    """A figure the ledger does not match, where the difference sits, and the records in its scope."""

    number: int  # 1-based, as its sheet is named
    detail: Breakdown | None  # None when the measure is not in the rule file the report uses
    records: list[dict[str, Any]] = field(default_factory=list)
    records_total: int = 0

    @property
    def result(self) -> dict[str, Any]:
        assert self.detail is not None
        return self.detail.result


@dataclass
class ReportData:
    title: str
    lang: str
    meta: list[tuple[str, Any]]
    reconciliation: dict[str, Any] | None = None
    discrepancies: list[Discrepancy] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    trail: Trail = field(default_factory=lambda: Trail([], [], []))
    rates: RateTables | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def exceptions(self) -> bool:
        return any(self.counts.get(k) for k in ("discrepancy", "inconsistent", "quarantined", "failed_expectations",
                                                 "total_differences"))


def report_title(centre: str | None, period: str | None, lang: str) -> str:
    """海东市 2022年第三季度 公共资源交易台账异常报告 — the centre and the period, when known."""
    t = LABELS[lang]
    if lang == "zh":
        return " ".join(p for p in (centre, period_label(period, lang) if period else None, t["title"]) if p)
    parts = ", ".join(p for p in (centre, period) if p)
    return f"{t['title']} — {parts}" if parts else t["title"]


def centre_of(published_file: str | None) -> str | None:
    """The published file's ``centre:``, else its ``region:`` (read again: the run keeps only the results)."""
    if not published_file or not Path(published_file).is_file():
        return None
    from ggzy.yamlfile import load_text_yaml

    try:
        data = load_text_yaml(Path(published_file), "published-figures file")
    except GgzyError:
        return None
    if not isinstance(data, dict):
        return None
    value = data.get("centre") or data.get("region")
    return str(value) if value else None


def _rules_for(run: Run | None, lang: str) -> tuple[RuleSet, str]:
    """The run's rule file when it is still there; else the shipped rules, said in the summary."""
    if run is None or not run.rules_file:
        return load_rules(), "—"
    if Path(run.rules_file).exists():
        return load_rules(run.rules_file), run.rules_file
    return load_rules(), f"{run.rules_file} ({LABELS[lang]['rules_gone']})"


def discrepancies(engine: Engine, rules: RuleSet, run: Run, limit: int | None = WORKBOOK_RECORDS) -> list[Discrepancy]:
    """Every discrepancy of ``run`` broken down, with (up to ``limit``) records of its scope."""
    out = []
    for number, result in enumerate((r for r in run.result["results"] if r["status"] != "ok"), start=1):
        if result["measure"] not in rules.measures:
            out.append(Discrepancy(number, None))
            continue
        detail = breakdown(engine, rules, result)
        records, total = scope_records(engine, detail.scope, limit)
        out.append(Discrepancy(number, detail, records, total))
    return out


def build_report(engine: Engine, *, period: str | None, run: Run | None, lang: str, operator: str,
                 centre: str | None = None) -> ReportData:
    """The report of ``period`` (all records when None) with ``run``'s reconciliation, if any."""
    from ggzy.rules.checking import run_checks

    t = LABELS[lang]
    trail = audit_trail(engine, period)
    rules, rules_text = _rules_for(run, lang)
    failed = [f for f in run_checks(engine, period, rules=rules).findings if not f.success]
    summary = run.result.get("summary", {}) if run else {}
    counts = {"ok": summary.get("ok", 0), "discrepancy": summary.get("discrepancy", 0),
              "inconsistent": summary.get("inconsistent", 0), "quarantined": len(trail.quarantine),
              "failed_expectations": len(failed), "total_differences": len(trail.totals),
              "amendments": len(trail.amendments)}
    centre = centre or centre_of(run.published_file if run else None)
    meta = [(t["period"], period_label(period, lang) if period else t["all"]),
            (t["ledger_url"], describe(engine)),
            (t["rules_file"], rules_text),
            (t["published_file"], run.published_file if run else "—"),
            (t["ok_count"], counts["ok"]),
            (t["discrepancies"], counts["discrepancy"]),
            (t["inconsistent_count"], counts["inconsistent"]),
            (t["quarantined_count"], counts["quarantined"]),
            (t["failed_count"], counts["failed_expectations"]),
            (t["totals_count"], counts["total_differences"]),
            (t["amendments_count"], counts["amendments"]),
            (t["run_by"], operator),
            (t["generated_at"], dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S"))]
    return ReportData(report_title(centre, period, lang), lang, meta, run.result if run else None,
                      discrepancies(engine, rules, run) if run else [], [evidence(f) for f in failed], trail,
                      rate_tables(engine, rules, period), counts)
