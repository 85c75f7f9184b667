"""`ggzy report`: the auditor's exception workbook (and HTML page)."""

from __future__ import annotations

from pathlib import Path

import click
from ggzy.commands.settings import Settings
from ggzy.errors import FoundSomething


@click.command()
@click.option("--period", metavar="P", help="Period of the report (records and reconciliation).")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Workbook to write (.xlsx).")
@click.option("--html", "html", type=click.Path(path_type=Path), help="Also write a self-contained HTML page.")
@click.option("--centre", metavar="NAME", help="Centre named in the title (default: the published file's centre: "
              "or region:).")
@click.pass_obj
def report(settings: Settings, period: str | None, out: Path, html: Path | None, centre: str | None) -> None:
    """Write the exception workbook: latest reconciliation of the period, failed checks with their rows,
    amendments and voids, source totals that differ, quarantined rows.

    Exit 1 when the report holds any exception.
    """
    from ggzy.periods import parse_period

    if period:
        parse_period(period)  # before the heavy imports: a mistyped period costs what --help costs
    from ggzy.reports.exception_report import check_report_paths, write_exception_report
    from ggzy.rules.runs import latest_run

    check_report_paths(out, html)
    engine = settings.engine()
    data = write_exception_report(engine, out, html, period=period, run=latest_run(engine, period),
                                  lang=settings.lang, operator=settings.operator(), centre=centre)
    counts = data.counts
    from ggzy.reports.labels import LABELS

    written = f"{out}, {html}" if html else str(out)
    click.echo(LABELS[settings.lang]["report_written_counts"].format(
        path=written, discrepancies=counts["discrepancy"], quarantined=counts["quarantined"],
        failed=counts["failed_expectations"], totals=counts["total_differences"], amendments=counts["amendments"]))
    if data.exceptions:
        raise FoundSomething("exceptions in the report")


COMMANDS = [report]
