"""Reading the ledger: the records table as queries see it, and scopes as SQL conditions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, and_, func, literal, not_

from ggzy.ledger.models import TradeRecord


@dataclass(frozen=True)
class Scope:
    """Which records a figure or a listing covers; None means any. ``exclude`` scopes are left out."""

    categories: tuple[str, ...] | None = None
    subcategories: tuple[str, ...] | None = None
    regions: tuple[str, ...] | None = None
    months: tuple[str, ...] | None = None
    exclude: tuple[Scope, ...] = field(default=())


def records_table() -> Table:
    """The table every query reads records from."""
    return TradeRecord.__table__  # type: ignore[return-value]


def scope_condition(scope: Scope, table: Any) -> Any:
    """SQL condition for ``scope``; values are bound parameters, never SQL text."""
    parts: list[Any] = []
    # coalesce: an empty subcategory/region must not turn NOT(x IN …) into NULL and drop the row
    for values, column in ((scope.categories, table.c.category),
                           (scope.subcategories, func.coalesce(table.c.subcategory, "")),
                           (scope.regions, func.coalesce(table.c.region, "")), (scope.months, table.c.period)):
        if values is not None:
            parts.append(column.in_(values))
    for excluded in scope.exclude:
        parts.append(not_(scope_condition(excluded, table)))
    return and_(*parts) if parts else literal(True)
