"""Bulk inserts of polars frames: COPY on PostgreSQL, executemany of plain tuples on SQLite.

One ORM object per row would cost more than reading the workbook; these paths hand the driver rows
that are already in the column's storage form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
from sqlalchemy import Table
from sqlalchemy.exc import IntegrityError

CHUNK = 20_000


def bulk_insert(conn: Any, table: Table, frame: pl.DataFrame, progress: Callable[[int], None] | None = None) -> None:
    """Insert every row of ``frame`` (columns named as the table's) inside the caller's transaction."""
    if frame.height == 0:
        return
    columns = ", ".join(frame.columns)
    if conn.dialect.name == "postgresql":
        import psycopg

        statement = f"COPY {table.name} ({columns}) FROM STDIN"
        try:
            with conn.connection.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
                for chunk in frame.iter_slices(CHUNK):
                    for row in chunk.iter_rows():
                        copy.write_row(row)
                    if progress:
                        progress(chunk.height)
        except psycopg.IntegrityError as exc:  # a concurrent import posted the same key: the caller retries
            raise IntegrityError(statement, None, exc) from exc
        return
    # SQLite keeps dates as ISO text (what SQLAlchemy's Date type writes and reads back)
    frame = frame.with_columns(pl.col(c).dt.strftime("%Y-%m-%d") for c, t in frame.schema.items() if t == pl.Date)
    sql = f"INSERT INTO {table.name} ({columns}) VALUES ({', '.join('?' * frame.width)})"
    for chunk in frame.iter_slices(CHUNK):
        conn.exec_driver_sql(sql, chunk.rows())
        if progress:
            progress(chunk.height)
