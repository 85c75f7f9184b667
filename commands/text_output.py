"""What `reconcile` and `check` print on a terminal, in the report's language (labels from reports/labels.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click
from ggzy.output import emit_table
from ggzy.reports.labels import LABELS, category_label, measure_label, message, value_label, with_unit
from ggzy.rules.checking import CheckOutcome
from ggzy.rules.reconcile import Reconciliation

if TYPE_CHECKING:
    from ggzy.imports.source_cells import SourceRow

SHOWN = 5  # offending rows listed per expectation on the terminal; --format json lists them all


def _scope_text(scope: dict[str, Any], lang: str) -> str:
    t = LABELS[lang]
    parts = [str(v) if not isinstance(v, list) else "+".join(v) for k, v in scope.items()
             if v and k not in ("period", "exclude")]
    if scope.get("exclude"):
        parts.append(t["exclude"] + " " + "+".join(str(x) for v in scope["exclude"].values() for x in v))
    return " ".join(parts) or t["all"]


def print_reconciliation(outcome: Reconciliation, lang: str) -> None:
    t = LABELS[lang]
    lines = [[r.figure, r.line, _scope_text(r.scope, lang), measure_label(r.measure, None, lang), r.published, r.unit,
              r.ledger or "—", f"[{r.low}, {r.high})" if r.low != r.high else r.low,
              value_label("status", r.status, lang)] for r in outcome.results]
    emit_table([t["figure"], t["line"], t["scope"], t["measure"], t["published"], t["unit"], t["ledger"],
                t["interval"], t["status"]], lines,
               title=f"{outcome.published.title or outcome.published.path} — {outcome.published.source}".strip(" —"),
               right=(0, 1, 4, 6))
    for check in outcome.consistency:
        if check.status != "ok":
            click.echo(t["inconsistent_line"].format(figures=check.figures, detail=message(check.detail, lang)))
    for note in outcome.notes:
        click.echo(f"{t['note']}: {note}" if lang == "en" else f"注: {message(note, lang)}")
    for r in outcome.results:
        if r.status != "ok":
            click.echo(t["discrepancy_line"].format(figure=r.figure, line=r.line,
                                                    measure=measure_label(r.measure, None, lang),
                                                    published=with_unit(r.published, r.unit),
                                                    ledger=with_unit(r.ledger, r.unit),
                                                    difference=with_unit(_signed(r.difference), r.unit),
                                                    command=r.records_command))
    s = outcome.summary
    click.echo(t["reconcile_summary"].format(ok=s["ok"], discrepancy=s["discrepancy"], inconsistent=s["inconsistent"],
                                             passed=sum(c.status == "ok" for c in outcome.consistency)))


def describe_row(row: dict[str, Any], lang: str) -> str:
    """One offending row on one line: a record with its name and source, a summary row, a published figure."""
    t = LABELS[lang]
    if "source_row" in row:
        name = f" {row['name']}" if row.get("name") else ""
        return (f"{t['record']} {row.get('id')} {row.get('project_code')}{name} "
                f"({row.get('source_file')}:{row.get('source_sheet')}:{row.get('source_row')})")
    if "figure" in row:
        measure = measure_label(row["measure"], None, lang)
        ledger = row.get("ledger") or "—"
        return f"{t['figure']} {row['figure']} ({t['line']} {row['line']}) {measure}: {t['ledger']} {ledger}"
    shown = {"source_file": t["file"], "category": t["category"], "month": t["month"]}
    return ", ".join(f"{shown[k]}={category_label(v, lang) if k == 'category' else v}"
                     for k, v in row.items() if k in shown and v)


def print_check(outcome: CheckOutcome, summary: dict[str, int], lang: str) -> None:
    t = LABELS[lang]
    failed = [f for f in outcome.findings if not f.success]
    emit_table([t["level"], t["expectation"], t["label"], t["severity"], t["result"], t["failed"], t["checked"]],
               [[value_label("level", f.level, lang), f.expectation, f.label, value_label("severity", f.severity, lang),
                 value_label("result", "ok" if f.success else "failed", lang), f.unexpected_count, f.element_count]
                for f in outcome.findings], right=(5, 6))
    for finding in failed:
        for row in [dict(r) for r in finding.records[:SHOWN]]:
            click.echo(f"  {value_label('severity', finding.severity, lang)}: {finding.expectation}: "
                       f"{describe_row(row, lang)}")
        if finding.unexpected_count > SHOWN:
            click.echo("  " + t["more_findings"].format(count=finding.unexpected_count - SHOWN))
    click.echo(t["check_summary"].format(records=outcome.records, ok=summary["ok"], errors=summary["failed_errors"],
                                         warnings=summary["failed_warnings"]))
    if outcome.docs_index:
        click.echo(f"{t['data_docs']}: {outcome.docs_index}")


def print_source_rows(rows: list[SourceRow], lang: str) -> None:
    """Each source row's raw cells, header → cell, from the file kept in the ledger (or why they are not there)."""
    from ggzy.reports.browse import missing_source_text

    t = LABELS[lang]
    for found in rows:
        title = f"{t['raw_cells']}: {found.file_name}:{found.sheet}:{found.row} ({t['batch']} {found.batch_id})"
        if found.missing:
            click.echo(f"{title}: {missing_source_text(found, lang)}")
            continue
        click.echo(title)
        emit_table([t["header"], t["cell"]], [[name, value] for name, value in found.cells])


def _signed(value: str | None) -> str | None:
    """A difference with its sign written: +0.0027, -1.6 (a missing ledger value has none)."""
    return value if not value or value.startswith(("-", "+")) else f"+{value}"
