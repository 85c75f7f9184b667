"""Closing and reopening months: appended period events; a closed month refuses imports, amendments and
voids that touch it (PeriodClosedError, exit 1), naming the month and how to reopen it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import polars as pl
from ggzy.errors import PeriodClosedError, UsageError
from ggzy.ledger import chain
from ggzy.ledger.bulk import inserted_id
from ggzy.ledger.models import PeriodEvent
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection


def closed_months(conn: Connection, months: Iterable[str] | None = None) -> dict[str, Any]:
    """Months whose latest event is a close (optionally only among ``months``) → that close event."""
    table = PeriodEvent.__table__
    latest = select(func.max(table.c.id)).group_by(table.c.period)
    query = select(table).where(table.c.id.in_(latest), table.c.action == "close")
    if months is not None:
        query = query.where(table.c.period.in_(sorted(set(months))))
    return {row.period: row for row in conn.execute(query)}


def _refusal(month: str, event: Any, what: str) -> PeriodClosedError:
    return PeriodClosedError(f"{what} touches {month}, which {event.operator} closed on "
                             f"{str(event.at)[:16]}; nothing was written. To change it, reopen the month first: "
                             f"ggzy reopen {month} --reason \"…\"")


def refuse_closed_months(conn: Connection, records: pl.DataFrame, file_name: str) -> None:
    """Refuse a file whose records to post fall in a closed month."""
    if records.height == 0 or "period" not in records.columns:
        return
    months = [m for m in records["period"].unique().to_list() if m]
    if closed := closed_months(conn, months):
        month = sorted(closed)[0]
        raise _refusal(month, closed[month], f"{file_name} has records of {month}: the import")


def refuse_if_closed(conn: Connection, months: Iterable[str], what: str) -> None:
    if closed := closed_months(conn, months):
        month = sorted(closed)[0]
        raise _refusal(month, closed[month], what)


def record_event(conn: Connection, months: tuple[str, ...], action: str, reason: str, operator: str) -> list[str]:
    """Close or reopen each month (those already in that state are left alone); returns the months changed.
    Each event is a link of the hash chain; a close stores the chain's head at that moment."""

    if action == "reopen" and not reason.strip():
        raise UsageError("reopening needs --reason: say why the closed month must change")
    closed = closed_months(conn, months)
    changed = [m for m in months if (m in closed) != (action == "close")]
    now = dt.datetime.now(dt.UTC)
    for month in changed:
        digest = chain.head(conn) if action == "close" else None
        event_id = inserted_id(conn.execute(insert(PeriodEvent.__table__).values(
            period=month, action=action, reason=reason, operator=operator, at=now, digest=digest)))
        chain.append(conn, "period", event_id)
    return changed


def period_events(conn: Connection) -> list[Any]:
    table = PeriodEvent.__table__
    return list(conn.execute(select(table).order_by(table.c.id)))
