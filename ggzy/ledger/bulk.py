"""Bulk inserts of polars frames: COPY … CSV on PostgreSQL, executemany of plain tuples on SQLite.

One ORM object per row would cost more than reading the workbook; these paths hand the driver rows
that are already in the column's storage form, a chunk at a time (``prepare`` adds computed columns,
e.g. content hashes, per chunk, so they never exist for the whole file at once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import polars as pl
from sqlalchemy import Table
from sqlalchemy.exc import IntegrityError

CHUNK = 20_000


def _prepared_chunks(frame: pl.DataFrame, prepare: Callable[[pl.DataFrame], pl.DataFrame] | None,
                     as_text_dates: bool) -> Iterator[tuple[list[str], list[tuple[Any, ...]]]]:
    """(columns, rows) per chunk. (Preparing the next chunk in a thread was measured: no gain, the
    tuple building and the driver's binding both hold the GIL.)"""
    for chunk in frame.iter_slices(CHUNK):
        if prepare is not None:
            chunk = prepare(chunk)
        if as_text_dates:  # SQLite keeps dates as ISO text (what SQLAlchemy's Date type writes and reads)
            chunk = chunk.with_columns(pl.col(c).dt.strftime("%Y-%m-%d")
                                       for c, t in chunk.schema.items() if t == pl.Date)
        yield chunk.columns, chunk.rows()


def bulk_insert(conn: Any, table: Table, frame: pl.DataFrame, progress: Callable[[int], None] | None = None,
                prepare: Callable[[pl.DataFrame], pl.DataFrame] | None = None) -> None:
    """Insert every row of ``frame`` (columns named as the table's, after ``prepare``) inside the caller's
    transaction."""
    if frame.height == 0:
        return
    if conn.dialect.name == "postgresql":
        import psycopg

        try:
            with conn.connection.driver_connection.cursor() as cursor:
                for chunk in frame.iter_slices(CHUNK):
                    if prepare is not None:
                        chunk = prepare(chunk)
                    # CSV written by polars (Rust): an empty string is "" and a missing value is empty, which
                    # is exactly how COPY … CSV tells '' from NULL
                    statement = f"COPY {table.name} ({', '.join(chunk.columns)}) FROM STDIN WITH (FORMAT csv)"
                    with cursor.copy(statement) as copy:
                        copy.write(chunk.write_csv(include_header=False))
                    if progress:
                        progress(chunk.height)
        except psycopg.IntegrityError as exc:  # a concurrent import posted the same key: the caller retries
            raise IntegrityError(f"COPY {table.name}", None, exc) from exc
        return
    for columns, rows in _prepared_chunks(frame, prepare, as_text_dates=True):
        sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        conn.exec_driver_sql(sql, rows)
        if progress:
            progress(len(rows))
