"""The record totals (``record_total``): per-batch sums of posted records by the dimensions measures use.

Every writer of records writes their totals in the same transaction (posting does, through
``totals_frame``); ``rebuild`` recomputes them from the records (``ggzy init`` on an older ledger) and
``differences`` compares both, so a drift can be seen.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from ggzy.ledger.models import RecordTotal, TradeRecord
from ggzy.ledger.queries import records_table
from sqlalchemy import Integer, case, cast, delete, func, insert, select

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


def signed_totals(records: pl.DataFrame, sign: int) -> pl.DataFrame:
    """``totals_frame`` with every count and sum multiplied by ``sign``: an amendment appends −1 × the
    record's old version and +1 × its new one, so the totals stay the sums of the current records."""
    frame = totals_frame(records)
    return frame.with_columns((pl.col(c) * sign).cast(pl.Int64) for c in ("records", *SUMMED))


def _grouped_select() -> Any:
    records = records_table()
    flags = [case((records.c[column].isnot(None), True), else_=False) for column in PRESENCE]
    keys = [records.c[d] for d in DIMENSIONS]
    sums = [func.coalesce(func.sum(records.c[c]), 0).label(c) for c in SUMMED]
    labelled = [flag.label(name) for flag, name in zip(flags, PRESENCE.values(), strict=True)]
    return select(*keys, *labelled, cast(func.count(), Integer).label("records"), *sums).group_by(*keys, *flags)


def rebuild(conn: Any) -> None:
    """Recompute every total from the current records (amendments applied, voided records left out)."""
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


def differences(conn: Any) -> list[dict[str, Any]]:
    """Groups where the stored totals differ from the current records' sums (empty when they agree)."""
    table = RecordTotal.__table__
    keys = [*DIMENSIONS, *PRESENCE.values()]
    stored = (select(*(table.c[k] for k in keys), func.sum(table.c.records).label("records"),
                     *(func.sum(table.c[c]).label(c) for c in SUMMED)).group_by(*(table.c[k] for k in keys)))
    values = ["records", *SUMMED]

    def as_map(rows: Any) -> dict[tuple[Any, ...], tuple[int, ...]]:
        found = {}
        for row in rows:
            sums = tuple(int(row._mapping[v] or 0) for v in values)
            if any(sums):  # a group whose records were all voided sums to zero: as if absent
                found[tuple(bool(row._mapping[k]) if k in PRESENCE.values() else row._mapping[k]
                            for k in keys)] = sums
        return found

    have, want = as_map(conn.execute(stored)), as_map(conn.execute(_grouped_select()))
    return [{"group": dict(zip(keys, key, strict=True)), "stored": have.get(key), "records": want.get(key)}
            for key in sorted(set(have) | set(want), key=repr) if have.get(key) != want.get(key)]
