"""`ggzy init`, `ggzy records`, `ggzy quarantine`."""

from __future__ import annotations

import json

import click
from ggzy.commands.options import build_scope, format_option, record_scope_options, scope_options, unit_option
from ggzy.commands.settings import Settings
from ggzy.errors import FoundSomething
from ggzy.output import emit_csv, emit_json, emit_table

RECORD_COLUMNS = ("id", "period", "category", "subcategory", "project_code", "section_code", "name", "region",
                  "status", "budget", "control_price", "reserve", "deal", "trade_date", "source")


@click.command()
@click.pass_obj
def init(settings: Settings) -> None:
    """Create or upgrade the ledger schema (idempotent)."""
    from ggzy.ledger.schema import init_schema
    from ggzy.ledger.store import describe

    engine = settings.engine(initialised=False)
    applied = init_schema(engine)
    click.echo(f"ledger ready: {describe(engine)}" + (f" (upgraded {', '.join(applied)})"
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
    from ggzy.ledger.queries import records_table, scope_condition
    from ggzy.money import format_fen
    from ggzy.vocab import STATUS_LABELS, vocabulary
    from sqlalchemy import select

    scope = build_scope(period, category, subcategory, region, exclude, level, method)
    table = records_table()
    query = select(table).where(scope_condition(scope, table)).order_by(table.c.period, table.c.id)
    with settings.engine().connect() as conn:
        rows = conn.execute(query).mappings().all()
    vocab = vocabulary()
    if fmt == "json":
        emit_json({"records": [{**{k: v for k, v in r.items() if k != "content_sha256"},
                                "trade_date": str(r["trade_date"])} for r in rows]})
        return
    places = {"元": 2, "万元": 6, "亿元": 10}[unit]
    lines = [[r["id"], r["period"], vocab.label(r["category"]), r["subcategory"], r["project_code"], r["section_code"],
              r["name"], r["region"], STATUS_LABELS.get(r["status"], r["status"]),
              *(format_fen(r[f"{m}_fen"], unit, places) if r[f"{m}_fen"] is not None else None
                for m in ("budget", "control_price", "reserve", "deal")),
              str(r["trade_date"]), f"{r['source_file']}:{r['source_sheet']}:{r['source_row']}"] for r in rows]
    header = [c if c not in ("budget", "control_price", "reserve", "deal") else f"{c}({unit})" for c in RECORD_COLUMNS]
    if fmt == "csv":
        emit_csv(header, lines)
    else:
        emit_table(header, lines, title=f"{len(lines)} records", right=(0, 9, 10, 11, 12))


@click.command()
@click.option("--batch", "batch_id", type=int, help="Only rows of this import batch.")
@click.option("--all", "include_resolved", is_flag=True,
              help="Also rows a later import resolved (their key was posted, or the row was re-imported).")
@format_option("table", "csv", "json")
@click.pass_obj
def quarantine(settings: Settings, batch_id: int | None, include_resolved: bool, fmt: str) -> None:
    """Rows that were not posted, with their source and reasons. Exit 1 when any is still open.

    A corrected file re-imported resolves the rows it fixes; they are kept and shown with --all.
    """
    from ggzy.ledger.queries import quarantine_query

    with settings.engine().connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(quarantine_query(batch_id, include_resolved))]
    if fmt == "json":
        emit_json({"quarantine": [{**{k: v for k, v in r.items() if k not in ("raw_json", "record_json")},
                                   "raw": json.loads(r["raw_json"]), "record": json.loads(r["record_json"] or "null")}
                                  for r in rows]})
    else:
        lines = [[r["id"], r["batch_id"], r["kind"], r["source_file"], r["source_sheet"], r["source_row"], r["reasons"],
                  r["raw_json"], f"{r['resolved_how']} by batch {r['resolved_by_batch']}" if r["resolved_how"] else ""]
                 for r in rows]
        header = ["id", "batch", "kind", "file", "sheet", "row", "reasons", "raw", "resolved"]
        emit_csv(header, lines) if fmt == "csv" else emit_table(header, lines, title=f"{len(lines)} quarantined rows")
    if any(r["resolved_how"] is None for r in rows):
        raise FoundSomething("quarantined rows still open")


COMMANDS = [init, records, quarantine]
