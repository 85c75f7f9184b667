"""`ggzy import FILE…`."""

from __future__ import annotations

from pathlib import Path

import click

from ggzy.imports.base import Profile
from ggzy.imports.service import import_files
from ggzy.ledger.store import current_operator
from ggzy.output import emit_json, emit_table, progress_bar


@click.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--profile", metavar="NAME_OR_PATH", help="Import profile (.yaml) for layouts the reader cannot guess.")
@click.option("--strict", is_flag=True, help="Post nothing from a file if any of its rows would be quarantined.")
@click.option("--dry-run", is_flag=True, help="Show what would happen; write nothing.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def import_(settings, files, profile, strict, dry_run, fmt) -> None:  # type: ignore[no-untyped-def]
    """Read workbooks (every sheet) or CSV files, post valid records, quarantine the rest.

    Exit 1 when rows were quarantined or in conflict, or a record broke an error-level expectation.
    """
    engine = settings.engine()
    with progress_bar("posting rows", None, fmt != "json") as advance:
        outcomes, findings = import_files(engine, list(files), Profile.load(profile),
                                          current_operator(settings.user), strict=strict, dry_run=dry_run,
                                          progress=advance)
    errors = [f for f in findings if f.severity == "error"]
    if fmt == "json":
        emit_json({"files": [o.as_json() for o in outcomes], "dry_run": dry_run,
                   "findings": [f.as_json() for f in findings]})
    else:
        emit_table(["file", "status", "batch", "rows", "posted", "unchanged", "quarantined", "conflicts"],
                   [[o.file, o.status + (" (dry run)" if dry_run and o.status == "posted" else ""), o.batch_id,
                     o.rows, o.posted, o.unchanged, o.quarantined, o.conflicts] for o in outcomes],
                   right=(2, 3, 4, 5, 6, 7))
        for outcome in outcomes:
            for held in outcome.quarantine[:20]:
                click.echo(f"  {held['kind']}: {held['source_file']}, sheet {held['source_sheet']}, row "
                           f"{held['source_row']}: {held['reasons']}")
            if len(outcome.quarantine) > 20:
                click.echo(f"  … and {len(outcome.quarantine) - 20} more: see `ggzy quarantine`")
        for finding in findings:
            where = ", ".join(f"{r['source_file']}:{r['source_sheet']}:{r['source_row']}" for r in finding.records[:5])
            click.echo(f"  {finding.severity}: {finding.label} ({finding.expectation}): {finding.unexpected_count} "
                       f"record(s), e.g. {where}")
    found = any(o.quarantined or o.conflicts or o.status == "rejected" for o in outcomes) or errors
    if found:
        raise SystemExit(1)


COMMANDS = [import_]
