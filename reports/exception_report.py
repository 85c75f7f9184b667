"""Writing the exception report (workbook and/or HTML page) for a period: what `ggzy report` and
`ggzy reconcile --report/--html` call."""

from __future__ import annotations

from pathlib import Path

from ggzy.errors import UsageError
from ggzy.reports.assemble import ReportData, build_report
from ggzy.rules.runs import Run
from sqlalchemy.engine import Engine


def check_report_paths(out: Path | None, html: Path | None) -> None:
    """Refuse wrong file kinds before any work (exit 2)."""
    if out is not None and out.suffix.lower() != ".xlsx":
        raise UsageError(f"{out}: the report is an Excel workbook; give a name ending in .xlsx")
    if html is not None and html.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"--html {html}: give a name ending in .html")


def write_exception_report(engine: Engine, out: Path | None, html: Path | None, *, period: str | None,
                           run: Run | None, lang: str, operator: str, centre: str | None = None) -> ReportData:
    """Gather the report once and write the workbook and/or the HTML page from it."""
    from ggzy.reports.html import write_html
    from ggzy.reports.workbook import write_report

    data = build_report(engine, period=period, run=run, lang=lang, operator=operator, centre=centre)
    if out is not None:
        write_report(out, data)
    if html is not None:
        write_html(html, data)
    return data
