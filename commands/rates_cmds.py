"""`ggzy rates` and `ggzy reconcile`: parse, call the library (rules/, reports/), print."""

from __future__ import annotations

from pathlib import Path

import click
from ggzy.commands.options import build_scope, format_option, scope_options, split_values, unit_option
from ggzy.commands.settings import Settings
from ggzy.errors import FoundSomething, UsageError


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
    from ggzy.vocab import GROUP_COLUMNS

    dims = split_values((by,)) if by else []
    if bad := [d for d in dims if d not in GROUP_COLUMNS]:
        raise UsageError(f"--by {bad[0]!r} is not a grouping; use {', '.join(GROUP_COLUMNS)}")
    scope = build_scope(period, category, subcategory, region, exclude)  # every option checked before the imports
    from ggzy.output import emit_csv, emit_json, emit_table
    from ggzy.reports.labels import LABELS
    from ggzy.reports.rate_tables import grouped_rates, rates_json
    from ggzy.reports.tables import cell_text, grouped_table
    from ggzy.rules.engine import load_rules

    rules = load_rules(rules_file)
    grouped = grouped_rates(settings.engine(), rules, scope, dims, unit)
    if fmt == "json":
        emit_json(rates_json(rules, grouped))
        return
    table = grouped_table(rules, grouped, settings.lang)
    kinds = [c.kind for c in table.columns]
    lines = [[cell_text(v, kinds[i], grouping=False) for i, v in enumerate(row)] for row in table.rows]
    if fmt == "csv":
        emit_csv(table.header, lines)
        return
    emit_table(table.header, lines, right=tuple(range(len(dims), len(table.header))))
    for name, count in grouped.missing.items():
        click.echo(LABELS[settings.lang]["missing_note"].format(count=count, measure=name))


@click.command(name="reconcile")
@click.argument("published_file", metavar="PUBLISHED.yaml", type=click.Path(path_type=Path))
@click.option("--rules", "rules_file", type=click.Path(path_type=Path), help="Rule file (default: shipped rules).")
@format_option("table", "json")
@click.option("--report", "report_path", type=click.Path(path_type=Path), help="Also write the exception workbook.")
@click.option("--html", "html", type=click.Path(path_type=Path), help="Also write the report as an HTML page.")
@click.option("--centre", metavar="NAME", help="Centre named in the report title (default: the published file's "
              "centre: or region:).")
@click.pass_obj
def reconcile_cmd(settings: Settings, published_file: Path, rules_file: Path | None, fmt: str,
                  report_path: Path | None, html: Path | None, centre: str | None) -> None:
    """Compare the ledger with published figures, within their published precision.

    Exit 1 on any discrepancy or inconsistency among the published figures.
    """
    from ggzy.commands.text_output import print_reconciliation
    from ggzy.output import emit_json
    from ggzy.reports.exception_report import check_report_paths, write_exception_report
    from ggzy.reports.labels import LABELS
    from ggzy.rules.engine import load_rules
    from ggzy.rules.published import load_published
    from ggzy.rules.reconcile import reconcile
    from ggzy.rules.runs import get_run, record_run

    check_report_paths(report_path, html)
    rules = load_rules(rules_file)
    published = load_published(published_file, rules.kinds())
    if not published.figures:
        from ggzy.errors import InputError

        raise InputError(f"{published_file}: no figures to reconcile: list the published figures under `figures:`, "
                         "e.g. - {category: 工程建设, count: 217, amount: 22.91} (nothing was recorded)")
    engine = settings.engine()
    outcome = reconcile(engine, published, rules)
    operator = settings.operator()
    run_id = record_run(engine, outcome, str(published_file), rules, operator)
    if report_path is not None or html is not None:
        write_exception_report(engine, report_path, html, period=published.period.text if published.period else None,
                               run=get_run(engine, run_id), lang=settings.lang, operator=operator, centre=centre)
    if fmt == "json":
        emit_json(outcome.as_json())
    else:
        print_reconciliation(outcome, settings.lang)
        for written in (report_path, html):
            if written is not None:
                click.echo(LABELS[settings.lang]["report_written"].format(path=written))
    if outcome.summary["discrepancy"] or outcome.summary["inconsistent"]:
        raise FoundSomething("discrepancies or inconsistent published figures")


COMMANDS = [rates, reconcile_cmd]
