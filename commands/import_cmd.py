"""`ggzy import FILE…`."""

from __future__ import annotations

from pathlib import Path

import click
from ggzy.errors import UsageError
from ggzy.imports.base import Profile
from ggzy.imports.service import Progress, import_files
from ggzy.ledger.store import current_operator
from ggzy.output import emit_json, emit_table, progress_tasks
from ggzy.rules.suites import load_suite

SHOWN = 20  # held rows listed per file on the terminal; `ggzy quarantine` lists them all


@click.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--profile", metavar="NAME_OR_PATH", help="Import profile (.yaml, or a built-in name such as "
              "yichang-awards) for layouts the reader cannot guess.")
@click.option("--strict", is_flag=True, help="Post nothing from a file if any of its rows would be quarantined.")
@click.option("--dry-run", is_flag=True, help="Show what would happen; write nothing.")
@click.option("--no-check", is_flag=True, help="Skip the record-level expectation suite (run `ggzy check` later).")
@click.option("--suite", "suite_file", type=click.Path(path_type=Path), metavar="FILE",
              help="Record-level expectation suite (default: the shipped one; `include: record` to extend).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def import_(settings, files, profile, strict, dry_run, no_check, suite_file, fmt) -> None:  # type: ignore[no-untyped-def]
    """Read workbooks (every sheet) or CSV files, post valid records, quarantine the rest.

    Title rows, unit lines (金额单位:万元), two-level headers, blank rows, 合计/小计 rows and notes are
    recognised; each 合计/小计 row is checked against the rows it sums. Exit 1 when rows were quarantined
    or in conflict, a total disagrees with its rows, or a record broke an error-level expectation.
    """
    suite = load_suite(suite_file) if suite_file is not None else None
    if suite is not None and suite.level != "record":
        raise UsageError(f"--suite {suite_file}: import runs record-level suites; this one is {suite.level}-level "
                         "(use it with `ggzy check --suite`)")
    engine = settings.engine()
    with progress_tasks(["rows read", "rows posted"], fmt != "json") as (read, posted):
        outcomes, findings = import_files(engine, list(files), Profile.load(profile),
                                          current_operator(settings.user), strict=strict, dry_run=dry_run,
                                          validate=not no_check, suite=suite, progress=Progress(read, posted))
    errors = [f for f in findings if f.severity == "error"]
    differences = [t for o in outcomes for t in o.totals if t["status"] != "ok"]
    if fmt == "json":
        emit_json({"files": [o.as_json() for o in outcomes], "dry_run": dry_run,
                   "findings": [f.as_json() for f in findings]})
    else:
        _print_outcomes(outcomes, dry_run)
        for finding in findings:
            where = ", ".join(f"{r['source_file']}:{r['source_sheet']}:{r['source_row']}" for r in finding.records[:5])
            click.echo(f"  {finding.severity}: {finding.label} ({finding.expectation}): {finding.unexpected_count} "
                       f"record(s), e.g. {where}")
    if any(o.quarantined or o.conflicts or o.status == "rejected" for o in outcomes) or errors or differences:
        raise SystemExit(1)


def _print_outcomes(outcomes, dry_run: bool) -> None:  # type: ignore[no-untyped-def]
    emit_table(["file", "status", "batch", "rows", "posted", "unchanged", "quarantined", "conflicts", "resolved"],
               [[o.file, o.status + (" (dry run)" if dry_run and o.status == "posted" else ""), o.batch_id,
                 o.rows, o.posted, o.unchanged, o.quarantined, o.conflicts, o.resolved] for o in outcomes],
               right=(2, 3, 4, 5, 6, 7, 8))
    for outcome in outcomes:
        for total in outcome.totals:
            if total["status"] != "ok":
                click.echo(f"  total differs: {outcome.file}, sheet {total['sheet']}, row {total['row']} "
                           f"({total['label']}): {total['column']} states {total['stated']} {total['unit']}, the "
                           f"{total['record_rows'] + total['held_rows']} rows above sum to {total['rows_sum']} "
                           f"(difference {total['difference']}"
                           + (f"; {total['held_rows']} of them quarantined" if total["held_rows"] else "") + ")")
        for held in outcome.quarantine[:SHOWN]:
            click.echo(f"  {held['kind']}: {held['source_file']}, sheet {held['source_sheet']}, row "
                       f"{held['source_row']}: {held['reasons']}")
        if len(outcome.quarantine) > SHOWN:
            click.echo(f"  … and {len(outcome.quarantine) - SHOWN} more: see `ggzy quarantine`")


COMMANDS = [import_]
