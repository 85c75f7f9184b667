"""`ggzy amend`, `void`, `history`, `close`, `reopen`, `verify`: corrections and the audit trail."""

from __future__ import annotations

import click
from ggzy.commands.options import format_option, unit_option
from ggzy.commands.settings import Settings
from ggzy.errors import FoundSomething
from ggzy.output import emit_json, emit_table

FORMAT = format_option("text", "json")


@click.command()
@click.argument("record_id", metavar="ID", type=int)
@click.option("--set", "assignments", multiple=True, required=True, metavar="FIELD=VALUE",
              help="A corrected value, e.g. deal=950000.50, trade_date=2022-07-05, status=成交. Repeatable.")
@click.option("--reason", required=True, help="Why (kept with the correction).")
@unit_option(None, help="Unit of money values (元 when not given; an amount changed a thousandfold or more needs "
             "the unit said).")
@FORMAT
@click.pass_obj
def amend(settings: Settings, record_id: int, assignments: tuple[str, ...], reason: str, unit: str | None,
          fmt: str) -> None:
    """Correct a posted record: the correction is appended with its author, time and reason; every query
    and measure sees the corrected values; `ggzy history ID` shows all versions."""
    from ggzy.ledger.audit import correct, parse_changes

    stated, unit = unit is not None, unit or "元"
    changes = parse_changes(assignments, unit)
    done = correct(settings.engine(), record_id, changes, reason, settings.operator(), unit, unit_stated=stated)
    if fmt == "json":
        emit_json(done.as_json())
    else:
        from ggzy.reports.labels import LABELS, change_text

        changed = "; ".join(change_text(field, before, after, unit, settings.lang)
                            for field, (before, after) in done.changes.items())
        click.echo(LABELS[settings.lang]["amended_line"].format(record=record_id, amendment=done.amendment_id,
                                                                 changes=changed))


@click.command()
@click.argument("record_id", metavar="ID", type=int)
@click.option("--reason", required=True, help="Why (kept with the void).")
@FORMAT
@click.pass_obj
def void(settings: Settings, record_id: int, reason: str, fmt: str) -> None:
    """Take a record out of the ledger's queries and measures, keeping it and the reason on record."""
    from ggzy.ledger.audit import correct

    done = correct(settings.engine(), record_id, None, reason, settings.operator())
    if fmt == "json":
        emit_json(done.as_json())
    else:
        from ggzy.reports.labels import LABELS

        click.echo(LABELS[settings.lang]["voided_line"].format(record=record_id, amendment=done.amendment_id))


@click.command()
@click.argument("record_id", metavar="ID", type=int)
@FORMAT
@click.pass_obj
def history(settings: Settings, record_id: int, fmt: str) -> None:
    """Every version of a record: as posted (batch, source row), then each amendment or void — money changes in
    the unit they were given in — and the raw cells of each source row, read from the file kept in the ledger."""
    from ggzy.commands.text_output import print_source_rows
    from ggzy.imports.source_cells import source_row
    from ggzy.ledger.audit import history as record_history
    from ggzy.reports.labels import change_text, column_label, message, value_label

    engine, lang = settings.engine(), settings.lang
    versions = record_history(engine, record_id)
    sources = {}
    for v in versions:
        where = (v["batch_id"], v["source_sheet"], v["source_row"])
        if where not in sources:
            sources[where] = source_row(engine, *where)
        v["raw"] = sources[where].as_dict() if not sources[where].missing else None
    if fmt == "json":
        emit_json({"record_id": record_id, "versions": versions})
        return
    emit_table([column_label(c, lang) for c in ("version", "kind", "at", "operator", "reason", "changes", "source")],
               [[v["version"], value_label("amendment", v["kind"], lang), v["at"], v["operator"],
                 message(v["reason"], lang),
                 "; ".join(change_text(k, a, b, v["unit"] or "元", lang) for k, (a, b) in v["changes"].items()),
                 v["source"]] for v in versions], right=(0,))
    print_source_rows(list(sources.values()), lang)


def _words(settings: Settings) -> dict[str, str]:
    from ggzy.reports.labels import LABELS

    return LABELS[settings.lang]


def _months(period: str) -> tuple[str, ...]:
    from ggzy.periods import parse_period

    return parse_period(period).months


@click.command()
@click.argument("period", metavar="PERIOD")
@click.option("--reason", default="", help="Optional note kept with the close.")
@click.pass_obj
def close(settings: Settings, period: str, reason: str) -> None:
    """Lock a month (or each month of 2022Q3, 2022, …): imports, amendments and voids touching it are refused."""
    from ggzy.ledger.closing import record_event

    months = _months(period)
    with settings.engine().begin() as conn:
        changed = record_event(conn, months, "close", reason, settings.operator())
    already = [m for m in months if m not in changed]
    words = _words(settings)
    click.echo(words["closed_line"].format(months=", ".join(changed) or words["nothing_closed"])
               + (words["already_closed"].format(months=", ".join(already)) if already else ""))


@click.command()
@click.argument("period", metavar="PERIOD")
@click.option("--reason", required=True, help="Why the closed month must change (recorded).")
@click.pass_obj
def reopen(settings: Settings, period: str, reason: str) -> None:
    """Reopen a closed month; the reopening and its reason are recorded in the chain."""
    from ggzy.ledger.closing import record_event

    months = _months(period)
    with settings.engine().begin() as conn:
        changed = record_event(conn, months, "reopen", reason, settings.operator())
    words = _words(settings)
    click.echo(words["reopened_line"].format(months=", ".join(changed) or words["nothing_reopened"]))


@click.command()
@FORMAT
@click.pass_obj
def verify(settings: Settings, fmt: str) -> None:
    """Recompute the hash chain (batches, records, amendments, period events), the record totals and the hash of
    every imported file kept in the ledger.
    Exit 1 naming the first broken link when anything was changed behind the tool's back."""
    from ggzy.ledger.verify import verify as verify_chain

    checked, breaks = verify_chain(settings.engine())
    if fmt == "json":
        emit_json({"links": checked, "ok": not breaks, "breaks": [b.as_json() for b in breaks]})
    elif breaks:
        words = _words(settings)
        for found in breaks:
            click.echo(words["verify_broken"].format(where=found.where, detail=found.detail))
        click.echo(words["verify_first_break"].format(where=breaks[0].where))
    else:
        click.echo(_words(settings)["verify_ok"].format(links=checked))
    if breaks:
        raise FoundSomething(f"{len(breaks)} broken chain link(s)")


@click.group(name="db")
def db() -> None:
    """Database administration of a shared (PostgreSQL) ledger."""


@db.command(name="grant")
@click.option("--role", type=click.Choice(["accountant", "auditor"]), required=True,
              help="auditor: read only; accountant: read and append, never UPDATE or DELETE.")
@click.argument("name")
@click.pass_obj
def db_grant(settings: Settings, role: str, name: str) -> None:
    """Give PostgreSQL login NAME the rights of an auditor or an accountant, enforced by the database."""
    from ggzy.ledger.roles import grant

    group = grant(settings.engine(), role, name)
    click.echo(f"{name} is now a member of {group} ({role})")


COMMANDS = [amend, void, history, close, reopen, verify, db]
