"""`ggzy rates` and `ggzy reconcile`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from ggzy.commands.options import build_scope, format_option, scope_options, split_values, unit_option
from ggzy.commands.settings import Settings
from ggzy.errors import FoundSomething, UsageError
from ggzy.output import emit_csv, emit_json, emit_table

if TYPE_CHECKING:
    from ggzy.rules.engine import MeasureRow, RuleSet
    from ggzy.rules.reconcile import Reconciliation


def _cell(rules: RuleSet, row: MeasureRow, name: str, unit: str) -> str:
    from fractions import Fraction

    from ggzy.money import FEN_PER_UNIT, fraction_str

    measure = rules.measure(name)
    value = row.value(rules, name)
    if value is None:
        return "—"  # no base: never shown as 0%
    if measure.ratio:
        if measure.format == "number":
            return fraction_str(Fraction(value), 2)
        return fraction_str(Fraction(value) * 100, 2) + "%"
    if measure.is_money:
        return fraction_str(Fraction(value, FEN_PER_UNIT[unit]), 2)
    return str(value)


@click.command()
@scope_options
@click.option("--by", "by", default="category", show_default=True, metavar="DIMS",
              help="Group by any of category,subcategory,region,month (comma separated); '' for one total.")
@click.option("--rules", "rules_file", type=click.Path(path_type=Path), help="Rule file (default: shipped rules).")
@unit_option("万元")
@format_option("table", "json", "csv")
@click.pass_obj
def rates(settings: Settings, period: str | None, category: tuple[str, ...], subcategory: tuple[str, ...],
          region: tuple[str, ...], exclude: tuple[str, ...], by: str, rules_file: Path | None, unit: str,
          fmt: str) -> None:
    """Counts, amounts, savings and premium rates (ratios of sums), grouped as asked."""
    from ggzy.rules.engine import GROUP_COLUMNS, aggregate, load_rules, total_of
    from ggzy.vocab import vocabulary

    dims = split_values((by,)) if by else []
    if bad := [d for d in dims if d not in GROUP_COLUMNS]:
        raise UsageError(f"--by {bad[0]!r} is not a grouping; use {', '.join(GROUP_COLUMNS)}")
    rules = load_rules(rules_file)
    scope = build_scope(period, category, subcategory, region, exclude)
    names = list(rules.measures)
    engine = settings.engine()
    rows = aggregate(engine, rules, names, scope, dims)
    total = None
    if dims:  # sums are additive: the total comes from the groups, not from a second scan
        total = total_of(rows) if rows else aggregate(engine, rules, names, scope)[0]
    vocab = vocabulary()

    def labels(row: MeasureRow) -> list[str]:
        return [vocab.label(v) if d == "category" and v else (v or "—") for d, v in row.group.items()]

    if fmt == "json":
        def values(row: MeasureRow) -> dict[str, object]:
            out: dict[str, object] = {}
            for name in names:
                measure = rules.measure(name)
                if not measure.ratio and not measure.is_money:
                    out[name] = row.sums[name]  # a count: a number in JSON
                else:
                    text = _cell(rules, row, name, unit)
                    out[name] = None if text == "—" else text
                if measure.sum and row.missing[name]:
                    out[f"{name}_missing"] = row.missing[name]
            return out
        emit_json({"unit": unit, "by": dims, "rows": [{**row.group, **values(row)} for row in rows],
                   "total": values(total) if total else None})
        return
    dim_labels = {"category": "类别", "subcategory": "子类", "region": "区域", "month": "月份"}
    header = [*(dim_labels[d] for d in dims),
              *(rules.measure(n).label + (f"({unit})" if rules.measure(n).is_money else "") for n in names)]
    lines = [[*labels(r), *(_cell(rules, r, n, unit) for n in names)] for r in rows]
    if total is not None:
        lines.append(["合计", *[""] * (len(dims) - 1), *(_cell(rules, total, n, unit) for n in names)])
    if fmt == "csv":
        emit_csv(header, lines)
    else:
        emit_table(header, lines, right=tuple(range(len(dims), len(header))))
        missing = {n: (total or rows[0]).missing[n] for n in names if rows and rules.measure(n).sum
                   and (total or rows[0]).missing[n] and n != "count"}
        for name, count in missing.items():
            click.echo(f"note: {count} record(s) left out of {name}: a field it needs is empty")


def _scope_text(scope: dict[str, object]) -> str:
    parts = [str(v) if not isinstance(v, list) else "+".join(v) for k, v in scope.items()
             if v and k not in ("period", "exclude")]
    if scope.get("exclude"):
        parts.append("不含 " + "+".join(str(x) for v in scope["exclude"].values() for x in v))  # type: ignore[union-attr]
    return " ".join(parts) or "全部"


def print_reconciliation(outcome: Reconciliation) -> None:
    lines = [[r.figure, r.line, _scope_text(r.scope), r.measure, r.published, r.unit, r.ledger or "—",
              f"[{r.low}, {r.high})" if r.low != r.high else r.low, r.status] for r in outcome.results]
    emit_table(["#", "line", "scope", "measure", "published", "unit", "ledger", "interval", "status"], lines,
               title=f"{outcome.published.title or outcome.published.path} — {outcome.published.source}".strip(" —"),
               right=(0, 1, 4, 6))
    for check in outcome.consistency:
        if check.status != "ok":
            click.echo(f"inconsistent published figures {check.figures}: {check.detail}")
    for note in outcome.notes:
        click.echo(f"note: {note}")
    for r in outcome.results:
        if r.status != "ok":
            click.echo(f"discrepancy: figure {r.figure} (line {r.line}) {r.measure}: published {r.published} "
                       f"{r.unit}, ledger {r.ledger or '—'}; records: {r.records_command}")
    s = outcome.summary
    click.echo(f"{s['ok']} ok, {s['discrepancy']} discrepancies, {s['inconsistent']} inconsistent "
               f"({sum(c.status == 'ok' for c in outcome.consistency)} consistency checks passed)")


@click.command(name="reconcile")
@click.argument("published_file", metavar="PUBLISHED.yaml", type=click.Path(path_type=Path))
@click.option("--rules", "rules_file", type=click.Path(path_type=Path), help="Rule file (default: shipped rules).")
@format_option("table", "json")
@click.option("--report", "report_path", type=click.Path(path_type=Path), help="Also write the exception workbook.")
@click.option("--html", "html", type=click.Path(path_type=Path), help="Also write the report as an HTML page.")
@click.pass_obj
def reconcile_cmd(settings: Settings, published_file: Path, rules_file: Path | None, fmt: str,
                  report_path: Path | None, html: Path | None) -> None:
    """Compare the ledger with published figures, within their published precision.

    Exit 1 on any discrepancy or inconsistency among the published figures.
    """
    import datetime as dt
    import json

    from ggzy.commands.report_cmds import check_report_paths, write_exception_report
    from ggzy.ledger.models import ReconciliationRun
    from ggzy.rules.engine import load_rules
    from ggzy.rules.published import load_published
    from ggzy.rules.reconcile import reconcile
    from sqlalchemy import insert

    check_report_paths(report_path, html)
    rules = load_rules(rules_file)
    published = load_published(published_file, rules.kinds())
    engine = settings.engine()
    outcome = reconcile(engine, published, rules)
    result = outcome.as_json()
    with engine.begin() as conn:
        conn.execute(insert(ReconciliationRun.__table__).values(
            ran_at=dt.datetime.now(dt.UTC), operator=settings.operator(),
            published_file=str(published_file), published_sha256=published.sha256, rules_file=rules.source,
            period=published.period.text if published.period else "", **outcome.summary,
            result_json=json.dumps(result, ensure_ascii=False)))
    if report_path is not None or html is not None:
        write_exception_report(settings, report_path, published.period.text if published.period else None,
                               result, str(published_file), rules.source, html)
    if fmt == "json":
        emit_json(result)
    else:
        print_reconciliation(outcome)
        for written in (report_path, html):
            if written is not None:
                click.echo(f"exception report written: {written}")
    if outcome.summary["discrepancy"] or outcome.summary["inconsistent"]:
        raise FoundSomething("discrepancies or inconsistent published figures")


COMMANDS = [rates, reconcile_cmd]
