"""`ggzy import FILE…`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from ggzy.commands.options import format_option
from ggzy.commands.settings import Settings
from ggzy.errors import FoundSomething, UsageError
from ggzy.output import emit_json, emit_table, progress_tasks

if TYPE_CHECKING:
    from ggzy.ledger.posting import FileOutcome
    from ggzy.ledger.staging import SheetExtract

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
@click.option("--explain", is_flag=True, help="First show, per sheet, which header became which field and why, "
              "the unit of each amount and where it came from, and the headers left unused.")
@format_option("text", "json")
@click.pass_obj
def import_(settings: Settings, files: tuple[Path, ...], profile: str | None, strict: bool, dry_run: bool,
            no_check: bool, suite_file: Path | None, explain: bool, fmt: str) -> None:
    """Read workbooks (every sheet) or CSV files, post valid records, quarantine the rest. A folder stands for
    the .xlsx, .xls and .csv files in it.

    Title rows, unit lines (金额单位:万元), two-level headers, blank rows, 合计/小计 rows and notes are
    recognised; each 合计/小计 row is checked against the rows it sums, and printed 节约资金/节资率/增值额/溢价率
    against the amounts of their row. Exit 1 when rows were quarantined or in conflict, a total or a
    derived column disagrees with its rows, or a record broke an error-level expectation.
    """
    from ggzy.imports.base import Profile
    from ggzy.imports.explain import explain_lines, unused_data_headers
    from ggzy.imports.regions import region_variants
    from ggzy.imports.service import Progress, import_files, read_headers
    from ggzy.imports.sheets import expand_folders
    from ggzy.rules.suites import load_suite
    from ggzy.vocab import use_ledger

    use_ledger(settings.db)
    files = tuple(expand_folders(list(files)))
    loaded = Profile.load(profile)
    explained = read_headers(list(files), loaded) if explain else []
    if explain and fmt != "json":
        for reading in explained:
            click.echo("\n".join(explain_lines(reading, settings.lang)))
    suite = load_suite(suite_file) if suite_file is not None else None
    if suite is not None and suite.level != "record":
        raise UsageError(f"--suite {suite_file}: import runs record-level suites; this one is {suite.level}-level "
                         "(use it with `ggzy check --suite`)")
    engine = settings.engine()
    sheets: list[SheetExtract] = []
    progress_labels = ["rows read", "rows posted"] if settings.lang == "en" else ["已读行", "已入账行"]
    with progress_tasks(progress_labels, fmt != "json") as (read, posted):
        outcomes, findings = import_files(engine, list(files), loaded,
                                          settings.operator(), strict=strict, dry_run=dry_run,
                                          validate=not no_check, suite=suite,
                                          progress=Progress(read, posted, sheets.append))
    variants = region_variants(engine, sheets)
    errors = [f for f in findings if f.severity == "error"]
    differences = [t for o in outcomes for t in o.totals if t["status"] != "ok"]
    if fmt == "json":
        emit_json({"files": [o.as_json() for o in outcomes], "dry_run": dry_run,
                   "findings": [f.as_json() for f in findings],
                   "unused_headers": [{"file": s.reading.file, "sheet": s.reading.sheet,
                                       "headers": [d.text for d in unused_data_headers(s.reading)]}
                                      for s in sheets if s.reading is not None and unused_data_headers(s.reading)],
                   "shared_amounts": [{"file": s.reading.file, "sheet": s.reading.sheet, "field": field,
                                       "headers": [d.text for d in held]}
                                      for s in sheets if s.reading is not None and s.reading.header is not None
                                      for field, held in s.reading.header.money_ties().items()],
                   "region_variants": [v.as_json() for v in variants],
                   **({"explain": [r.as_json() for r in explained]} if explain else {})})
    else:
        _print_outcomes(outcomes, dry_run, settings.lang)
        from ggzy.commands.import_text import finding_line, sheet_notices, variant_line

        for sheet in sheets:
            for notice in sheet_notices(sheet.reading, settings.lang):
                click.echo(notice)
        for variant in variants:
            click.echo(variant_line(variant, settings.lang))
        for finding in findings:
            click.echo(finding_line(finding, settings.lang))
    if any(o.quarantined or o.conflicts or o.status == "rejected" for o in outcomes) or errors or differences:
        raise FoundSomething("quarantined rows, conflicts, differing totals or failed error-level expectations")


def _print_outcomes(outcomes: list[FileOutcome], dry_run: bool, lang: str) -> None:
    from ggzy.reports.labels import LABELS, column_label, message, value_label

    words = LABELS[lang]

    columns = ("file", "status", "batch", "rows", "posted", "unchanged", "quarantined", "conflicts", "resolved")
    emit_table([column_label("resolved_rows" if c == "resolved" and lang == "zh" else c, lang) for c in columns],
               [[o.file, value_label("import", o.status, lang)
                 + (LABELS[lang]["dry_run"] if dry_run and o.batch_id is None and o.rows else ""), o.batch_id,
                 o.rows, o.posted, o.unchanged, o.quarantined, o.conflicts, o.resolved] for o in outcomes],
               right=(2, 3, 4, 5, 6, 7, 8))
    for outcome in outcomes:
        if outcome.reimported:
            click.echo("  " + LABELS[lang]["reimported_line"].format(file=outcome.file, count=outcome.reimported))
        for total in outcome.totals:
            if total["status"] != "ok":
                click.echo("  " + _total_line(outcome.file, total, words))
        for held in outcome.quarantine[:SHOWN]:
            click.echo("  " + LABELS[lang]["held_line"].format(
                kind=value_label("held", held["kind"], lang), file=held["source_file"], sheet=held["source_sheet"],
                row=held["source_row"], reasons=message(held["reasons"], lang)))
        if len(outcome.quarantine) > SHOWN:
            click.echo("  " + words["more_held"].format(count=len(outcome.quarantine) - SHOWN))


def _total_line(file: str, total: dict, words: dict[str, str]) -> str:
    """One stated amount that its rows do not give: a second column for the same amount, a derived column
    (节约资金 = 预算 − 成交) or a 合计/小计 row."""
    from ggzy.imports.derived import SAME_AMOUNT
    from ggzy.money import trimmed_amount

    where = {"file": file, "sheet": total["sheet"], "row": total["row"], "column": total["column"],
             "stated": total["stated"], "sum": trimmed_amount(total["rows_sum"]), "unit": total["unit"],
             "difference": trimmed_amount(total["difference"]), "label": total["label"]}
    if total["label"].startswith(SAME_AMOUNT):
        holder = total["label"].split(" = ", 1)[1]
        kept = words["second_column_kept" if total["rows_sum"] else "second_column_none"].format(holder=holder,
                                                                                             **where)
        return words["second_column_line"].format(kept=kept, **where)
    if total["record_rows"] + total["held_rows"] == 1 and "=" in total["label"]:
        return words["derived_line"].format(**where)
    held = words["total_held"].format(count=total["held_rows"]) if total["held_rows"] else ""
    return words["total_line"].format(count=total["record_rows"] + total["held_rows"], held=held, **where)


COMMANDS = [import_]
