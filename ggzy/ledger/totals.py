"""The record totals (``record_total``): per-batch sums of posted records by the dimensions measures use.

Every writer of records writes their totals in the same transaction (posting does, through
``totals_frame``); ``rebuild`` recomputes them from the records (``ggzy init`` on an older ledger) and
``differences`` compares both, so a drift can be seen.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from sqlalchemy import Integer, case, cast, delete, func, insert, select

from ggzy.ledger.models import RecordTotal, TradeRecord

DIMENSIONS = ("batch_id", "category", "subcategory", "region", "period", "status")
SUMMED = ("budget_fen", "control_price_fen", "reserve_fen", "deal_fen", "bidders")
PRESENCE = {"budget_fen": "has_budget", "control_price_fen": "has_control_price", "reserve_fen": "has_reserve",
            "deal_fen": "has_deal", "bidders": "has_bidders"}


def totals_frame(records: pl.DataFrame) -> pl.DataFrame:
    """The totals rows for ``records`` (which carry batch_id and the ledger fields)."""
    flags = [pl.col(column).is_not_null().alias(flag) for column, flag in PRESENCE.items()]
    return (records.with_columns(flags)
            .group_by([*DIMENSIONS, *PRESENCE.values()])
            .agg(pl.len().cast(pl.Int64).alias("records"), *(pl.col(c).sum().cast(pl.Int64) for c in SUMMED)))


def _grouped_select() -> Any:
    records = TradeRecord.__table__
    flags = [case((records.c[column].isnot(None), True), else_=False) for column in PRESENCE]
    keys = [records.c[d] for d in DIMENSIONS]
    sums = [func.coalesce(func.sum(records.c[c]), 0).label(c) for c in SUMMED]
    labelled = [flag.label(name) for flag, name in zip(flags, PRESENCE.values(), strict=True)]
    return select(*keys, *labelled, cast(func.count(), Integer).label("records"), *sums).group_by(*keys, *flags)


def rebuild(conn: Any) -> None:
    """Recompute every total from the records."""
    table = RecordTotal.__table__
    conn.execute(delete(table))
    query = _grouped_select()
    columns = [*DIMENSIONS, *PRESENCE.values(), "records", *SUMMED]
    conn.execute(insert(table).from_select(columns, query))


def needs_rebuild(conn: Any) -> bool:
    """True for a ledger whose records have no totals yet (made before totals existed)."""
    has_records = conn.execute(select(TradeRecord.__table__.c.id).limit(1)).first() is not None
    has_totals = conn.execute(select(RecordTotal.__table__.c.id).limit(1)).first() is not None
    return has_records and not has_totals
