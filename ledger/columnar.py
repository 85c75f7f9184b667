"""Reading ledger rows in bulk into polars, column-wise, without a Python object per value.

SQLite and PostgreSQL are read through their ADBC drivers (Apache Arrow's C drivers: the rows arrive as
Arrow columns); other databases fall back to SQLAlchemy, and so does a driver that fails — with a warning
(logger ``ggzy``, shown on stderr), since it costs: measured on 1,000,000 records × 12 columns
(benchmarks/README.md), ADBC 1.2 s, SQLAlchemy rows into polars 15 s.
"""

from __future__ import annotations

import logging
from typing import Any

import polars as pl
from sqlalchemy import Select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

log = logging.getLogger("ggzy")
#: `IN (…)` lists (a period's months, a scope's regions) are expanded into one bound parameter each when compiled:
#: SQLAlchemy otherwise leaves a [POSTCOMPILE_…] placeholder that only its own execution fills in
EXPANDED = {"render_postcompile": True}


def _adbc_read(engine: Engine, query: Select[Any]) -> pl.DataFrame | None:
    """The query's rows through ADBC, or None when no ADBC driver serves this database."""
    url = engine.url
    backend = url.get_backend_name()
    if backend == "sqlite" and url.database and url.database != ":memory:":
        import adbc_driver_sqlite.dbapi as sqlite_driver

        compiled = query.compile(dialect=sqlite.dialect(paramstyle="qmark"), compile_kwargs=EXPANDED)
        params = [compiled.params[name] for name in compiled.positiontup or []]
        target = url.database
        if url.query.get("uri") == "true":  # a URI such as file:/path?mode=ro (the read-only view's engine)
            target += "?" + "&".join(f"{k}={v}" for k, v in url.query.items() if k != "uri")
        connect: Any = lambda: sqlite_driver.connect(target)  # noqa: E731
    elif backend == "postgresql":
        import adbc_driver_postgresql.dbapi as postgresql_driver

        compiled = query.compile(dialect=postgresql.dialect(paramstyle="numeric_dollar"), compile_kwargs=EXPANDED)
        params = [compiled.params[name] for name in compiled.positiontup or []]
        uri = url.set(drivername="postgresql").render_as_string(hide_password=False)
        connect = lambda: postgresql_driver.connect(uri)  # noqa: E731
    else:
        return None
    with connect() as conn, conn.cursor() as cursor:
        # values are bound parameters, never SQL text (scopes hold user-typed names)
        cursor.execute(str(compiled), params or None)
        frame = pl.from_arrow(cursor.fetch_arrow_table())
        return frame if isinstance(frame, pl.DataFrame) else frame.to_frame()  # a table is always a frame


def record_dtype(column: str) -> Any:
    """The polars type of a ledger record column: integer fen and ids, the trade date, else text."""
    if column.endswith("_fen") or column in ("id", "batch_id", "record_id", "source_row", "bidders"):
        return pl.Int64
    return pl.Date if column == "trade_date" else pl.String


def _adbc_failures() -> tuple[type[BaseException], ...]:
    """What a failed ADBC read raises: a missing driver, the driver manager's DB-API errors, and the Arrow stream's
    errors when fetching (the SQLite driver reports a column whose values change type as an OSError)."""
    try:
        import adbc_driver_manager
        import pyarrow
    except ImportError:
        return (ImportError,)
    return ImportError, adbc_driver_manager.Error, pyarrow.ArrowException, OSError


def read_frame(engine: Engine, query: Select[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """Rows of ``query`` as a polars frame with ``schema`` (column → polars type), read in bulk. When the ADBC
    read fails, the rows are read through SQLAlchemy — about twelve times slower — and a warning says so."""
    try:
        frame = _adbc_read(engine, query)
    except _adbc_failures() as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        log.warning("ggzy: warning: the fast (ADBC) read of the ledger failed (%s); reading it row by row instead, "
                    "about 12x slower", reason)
        frame = None
    if frame is None:
        with engine.connect() as conn:
            result = conn.execute(query)
            rows = [tuple(row) for row in result]
            columns = list(result.keys())
        frame = pl.DataFrame(rows, schema={c: schema.get(c, pl.String) for c in columns}, orient="row")
    casts = []
    for column in frame.columns:
        wanted = schema.get(column, pl.String)
        if frame.schema[column] != wanted:
            source = pl.col(column)
            if wanted == pl.Date and frame.schema[column] == pl.String:
                casts.append(source.str.to_date("%Y-%m-%d", strict=True).alias(column))
            else:
                casts.append(source.cast(wanted, strict=True).alias(column))
    return frame.with_columns(casts) if casts else frame
