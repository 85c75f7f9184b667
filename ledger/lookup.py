"""What the ledger already holds for the keys and the file of an import: the records under those natural keys
(with their latest version: voided or not, and the content hashes a re-imported row may match), and the batches
that read the same file under the same profile."""

from __future__ import annotations

from typing import Any

import polars as pl
from ggzy.ledger.models import ImportBatch, RecordAmendment
from sqlalchemy import and_, or_, select
from sqlalchemy.engine import Connection

KEY = ["category", "project_code", "section_code"]
CHUNK = 5000  # bound parameters per SQLite statement (its limit is 32,766)

EXISTING_SCHEMA = {"category": pl.String, "project_code": pl.String, "section_code": pl.String,
                   "_existing_id": pl.Int64, "_posted_sha256": pl.String}
VERSIONS_SCHEMA = {"_existing_id": pl.Int64, "_versions": pl.Int64, "_latest_id": pl.Int64, "_latest_kind": pl.String,
                   "_latest_sha256": pl.String, "_reimport_sha256": pl.String}


def _chunks(values: list[Any]) -> list[list[Any]]:
    return [values[start:start + CHUNK] for start in range(0, len(values), CHUNK)]


def existing_records(conn: Connection, keys: pl.DataFrame) -> pl.DataFrame:
    """Records under any of ``keys`` (KEY columns) with what a re-imported row is compared with: KEY, _existing_id,
    _voided (its latest version is a void), _existing_sha256 (content hash of the version last imported),
    _current_sha256 (of its latest version, when an amendment holds one), _next_version, _latest_id.

    Looked up per category and chunk of project codes, so the unique (category, project_code, …) index
    serves it; plain driver SQL, because compiling thousands of statements would cost more than the lookups.
    """
    found: list[tuple[Any, ...]] = []
    columns = "category, project_code, section_code, id, content_sha256"
    postgres = conn.dialect.name == "postgresql"
    for (category,), group in keys.group_by("category"):
        codes = group["project_code"].unique().to_list()
        if postgres:
            found += conn.exec_driver_sql(f"SELECT {columns} FROM trade_record WHERE category = %s AND "
                                          "project_code = ANY(%s)", (category, codes)).all()
            continue
        for chunk in _chunks(codes):
            found += conn.exec_driver_sql(f"SELECT {columns} FROM trade_record WHERE category = ? AND project_code "
                                          f"IN ({', '.join('?' * len(chunk))})", (category, *chunk)).all()
    records = pl.DataFrame([tuple(r) for r in found], schema=EXISTING_SCHEMA, orient="row")
    versions = latest_versions(conn, records["_existing_id"].to_list())
    records = records.join(versions, on="_existing_id", how="left")
    return records.select(
        *KEY, "_existing_id", "_latest_id",
        _voided=pl.col("_latest_kind").eq("void").fill_null(False),
        _existing_sha256=pl.coalesce("_reimport_sha256", "_posted_sha256"),
        _current_sha256=pl.when(pl.col("_latest_kind") != "void").then(pl.col("_latest_sha256")),
        _next_version=pl.col("_versions").fill_null(0) + 1)


def latest_versions(conn: Connection, record_ids: list[int]) -> pl.DataFrame:
    """For each of ``record_ids`` that has amendments: how many, the latest's id, kind and content hash, and the
    content hash of its latest re-import (VERSIONS_SCHEMA). Amendments are few: one query tells if there are any."""
    table = RecordAmendment.__table__
    if not record_ids or conn.execute(select(table.c.id).limit(1)).first() is None:
        return pl.DataFrame(schema=VERSIONS_SCHEMA)
    rows: list[tuple[Any, ...]] = []
    query = select(table.c.record_id, table.c.id, table.c.kind, table.c.content_sha256)
    for chunk in _chunks(record_ids):
        rows += [tuple(r) for r in conn.execute(query.where(table.c.record_id.in_(chunk)))]
    frame = pl.DataFrame(rows, schema={"_existing_id": pl.Int64, "id": pl.Int64, "kind": pl.String,
                                       "sha": pl.String}, orient="row").sort("id")
    return frame.group_by("_existing_id").agg(
        _versions=pl.len().cast(pl.Int64), _latest_id=pl.col("id").last(), _latest_kind=pl.col("kind").last(),
        _latest_sha256=pl.col("sha").last(),
        _reimport_sha256=pl.col("sha").filter(pl.col("kind") == "reimport").last()).select(list(VERSIONS_SCHEMA))


def readings_of(sha256: str, profile_sha256: str, profile: str) -> Any:
    """The batches that read this file (bytes) under this profile; a batch from before revision 0004 has no
    profile digest and matches by the profile's name."""
    batches = ImportBatch.__table__
    return select(batches).where(batches.c.sha256 == sha256, or_(
        batches.c.profile_sha256 == profile_sha256,
        and_(batches.c.profile_sha256.is_(None), batches.c.profile == profile))).order_by(batches.c.id)
