"""`ggzy init`, `ggzy records`, `ggzy quarantine`, `ggzy resolve`, `ggzy source`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from ggzy.commands.options import build_scope, format_option, record_scope_options, scope_options, unit_option
from ggzy.commands.settings import Settings
from ggzy.errors import FoundSomething
from ggzy.output import emit_csv, emit_json, emit_table

RECORD_COLUMNS = ("id", "period", "category", "subcategory", "project_code", "section_code", "name", "region",
                  "status", "budget", "control_price", "reserve", "deal", "trade_date", "source")
MONEY_COLUMNS = ("budget", "control_price", "reserve", "deal")


@click.command()
@click.pass_obj
def init(settings: Settings) -> None:
    """Create or upgrade the ledger schema (idempotent)."""
    from ggzy.ledger.schema import init_schema
    from ggzy.ledger.store import describe

    engine = settings.engine(initialised=False)
    applied = init_schema(engine)
    from ggzy.reports.labels import LABELS

    words = LABELS[settings.lang]
    click.echo(words["ledger_ready"].format(ledger=describe(engine))
               + (words["ledger_upgraded"].format(revisions=", ".join(applied))
                  if applied and "new ledger" not in applied[0] else ""))


@click.command()
@scope_options
@record_scope_options
@unit_option("元")
@format_option("table", "csv", "json")
@click.pass_obj
def records(settings: Settings, period: str | None, category: tuple[str, ...], subcategory: tuple[str, ...],
            region: tuple[str, ...], exclude: tuple[str, ...], level: str | None, method: tuple[str, ...], unit: str,
            fmt: str) -> None:
    """List ledger records, each with the file, sheet and row it came from (the records behind a reconciled
    figure: reconcile prints this command with the figure's scope)."""
    scope = build_scope(period, category, subcategory, region, exclude, level, method)  # options checked first
    from ggzy.money import format_fen
    from ggzy.reports.labels import LABELS, category_label, column_label, value_label
    from ggzy.rules.drill import scope_records

    rows, _total = scope_records(settings.engine(), scope, order="period", every_column=True)
    lang = settings.lang
    if fmt == "json":
        emit_json({"records": [{**{k: v for k, v in r.items() if k != "content_sha256"},
                                "trade_date": str(r["trade_date"])} for r in rows]})
        return
    places = {"元": 2, "万元": 6, "亿元": 10}[unit]
    lines = [[r["id"], r["period"], category_label(r["category"], "zh"), r["subcategory"], r["project_code"],
              r["section_code"], r["name"], r["region"], value_label("trade", r["status"], "zh"),
              *(format_fen(r[f"{m}_fen"], unit, places) if r[f"{m}_fen"] is not None else None
                for m in ("budget", "control_price", "reserve", "deal")),
              str(r["trade_date"]), f"{r['source_file']}:{r['source_sheet']}:{r['source_row']}"] for r in rows]
    header = [column_label(c, lang, unit if c in MONEY_COLUMNS else None, record=True) for c in RECORD_COLUMNS]
    if fmt == "csv":
        emit_csv(header, lines)
    else:
        emit_table(header, lines, title=LABELS[lang]["records_title"].format(count=len(lines)),
                   right=(0, 9, 10, 11, 12))


@click.command()
@click.option("--batch", "batch_id", type=int, help="Only rows of this import batch.")
@click.option("--all", "include_resolved", is_flag=True,
              help="Also resolved rows: read again and posted, equal to a record, held again, or confirmed by hand "
                   "(ggzy resolve).")
@format_option("table", "csv", "json")
@click.pass_obj
def quarantine(settings: Settings, batch_id: int | None, include_resolved: bool, fmt: str) -> None:
    """Rows that were not posted, with their source and reasons. Exit 1 when any is still open.

    A row is resolved only by a row that is it: the same source row read again (the file corrected, or read with a
    word added to the vocabulary), a row whose content it equals — or by hand, `ggzy resolve ID --record N`. Resolved
    rows are kept and shown with --all, with the record they were resolved onto.
    """
    from ggzy.errors import UsageError
    from ggzy.ledger.models import ImportBatch
    from ggzy.ledger.queries import quarantine_query
    from ggzy.reports.labels import LABELS, column_label, message, value_label
    from sqlalchemy import select

    with settings.engine().connect() as conn:
        batches = ImportBatch.__table__
        if batch_id is not None and conn.execute(select(batches.c.id).where(batches.c.id == batch_id)).first() is None:
            raise UsageError(f"--batch {batch_id}: no import batch {batch_id}; `ggzy records` and "
                             "`ggzy quarantine --all` name the batches")
        rows = [dict(r._mapping) for r in conn.execute(quarantine_query(batch_id, include_resolved))]
    if fmt == "json":
        emit_json({"quarantine": [{**{k: v for k, v in r.items() if k not in ("raw_json", "record_json")},
                                   "raw": json.loads(r["raw_json"]), "record": json.loads(r["record_json"] or "null")}
                                  for r in rows]})
    else:
        lang = settings.lang
        lines = [[r["id"], r["batch_id"], value_label("held", r["kind"], lang), r["source_file"], r["source_sheet"],
                  r["source_row"], message(r["reasons"], lang), r["raw_json"], _resolved_text(r, lang)]
                 for r in rows]
        header = [column_label(c, lang) for c in ("id", "batch", "kind", "file", "sheet", "row", "reasons", "raw",
                                                  "resolved")]
        if fmt == "csv":
            emit_csv(header, lines)
        else:
            emit_table(header, lines, title=LABELS[lang]["quarantine_title"].format(count=len(lines)))
    if any(r["resolved_how"] is None for r in rows):
        raise FoundSomething("quarantined rows still open")


def _resolved_text(row: dict[str, Any], lang: str) -> str:
    """How a held row was resolved, in words: by which batch, onto which record, or confirmed by whom and why."""
    from ggzy.reports.labels import LABELS, value_label

    if not row["resolved_how"]:
        return ""
    words = LABELS[lang]
    if row["resolved_how"] == "confirmed":
        return words["resolved_confirmed"].format(record=row["resolved_record"], operator=row["resolved_operator"],
                                                  reason=row["resolved_reason"])
    text = words["resolved_by"].format(how=value_label("resolved", row["resolved_how"], lang),
                                       batch=row["resolved_by_batch"])
    if row["resolved_record"] is not None:
        text += words["resolved_record"].format(record=row["resolved_record"])
    return text


@click.command()
@click.argument("held_id", metavar="HELD_ID", type=int)
@click.option("--record", "record_id", type=int, metavar="ID",
              help="The record that holds the row's content (default: the record a conflict names).")
@click.option("--reason", required=True, help="Why that record holds the row (kept with the resolution).")
@format_option("text", "json")
@click.pass_obj
def resolve(settings: Settings, held_id: int, record_id: int | None, reason: str, fmt: str) -> None:
    """Resolve a held row by hand, when no import can: name the record that holds it (a corrected copy posted its
    key under another file name; a conflict whose ledger version is right) and say why. The row stays in
    `ggzy quarantine --all` with the record, your name and the reason, and the resolution is in the hash chain."""
    from ggzy.ledger.resolving import confirm
    from ggzy.reports.labels import LABELS

    done = confirm(settings.engine(), held_id, record_id, reason, settings.operator())
    if fmt == "json":
        emit_json(done)
    else:
        click.echo(LABELS[settings.lang]["resolved_onto"].format(held=held_id, record=done["record_id"]))


@click.command()
@click.argument("batch_id", metavar="[BATCH]", type=int, required=False)
@click.option("--record", "record_id", type=int, metavar="ID", help="The file a record's current version came from.")
@click.option("-o", "--out", type=click.Path(path_type=Path, allow_dash=True), metavar="FILE",
              help="Where to write it (default: its own name in the current folder; - for standard output).")
@click.pass_obj
def source(settings: Settings, batch_id: int | None, record_id: int | None, out: Path | None) -> None:
    """Write an imported file back out, byte for byte, from the ledger: every import keeps the file it read, so
    the original of any batch (or of any record, --record ID) can be handed to an auditor. Its SHA-256 is
    checked against the batch's first. An existing file is never overwritten."""
    import sys

    from ggzy.errors import UsageError
    from ggzy.ledger.sources import original_file

    if (batch_id is None) == (record_id is None):
        raise UsageError("give a batch (ggzy source 3) or a record (ggzy source --record 1205), not both")
    with settings.engine().connect() as conn:
        found, data = original_file(conn, batch_id, record_id)
    if out is not None and str(out) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = out if out is not None else Path(found.file_name)
    if target.is_dir():
        target = target / found.file_name
    if target.exists():
        raise UsageError(f"{target} exists; give another -o FILE (nothing was written)")
    partial = target.with_name(f".{target.name}.ggzy-partial")
    try:
        partial.write_bytes(data)
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise UsageError(f"cannot write {target}: {exc.strerror}") from None
    from ggzy.reports.labels import LABELS

    click.echo(LABELS[settings.lang]["source_written"].format(path=target, batch=found.batch_id, size=f"{len(data):,}",
                                                              sha256=found.sha256))


COMMANDS = [init, records, quarantine, resolve, source]
