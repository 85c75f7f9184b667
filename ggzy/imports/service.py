"""Importing files into the ledger: read every file first (a bad file stops everything before any
write), check each batch with the record-level suite, then post each file as one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy.engine import Engine

from ggzy.errors import InputError
from ggzy.imports.base import Importer, ParsedRow, Profile
from ggzy.imports.table import TableImporter, check_readable, file_sha256
from ggzy.ledger.models import MONEY_FIELDS
from ggzy.ledger.posting import FileOutcome, already_imported, existing_batch, post_file
from ggzy.rules.expectations import Finding, load_suite, run_suite

IMPORTERS: list[Importer] = [TableImporter()]
RECORD_SCHEMA = {"category": pl.String, "subcategory": pl.String, "project_code": pl.String,
                 "section_code": pl.String, "name": pl.String, "region": pl.String, "status": pl.String,
                 **dict.fromkeys(MONEY_FIELDS, pl.Int64), "trade_date": pl.Date, "period": pl.String,
                 "source_file": pl.String, "source_sheet": pl.String, "source_row": pl.Int64}


@dataclass
class ReadFile:
    path: Path
    sha256: str
    rows: list[ParsedRow] = field(default_factory=list)
    previous: Any = None  # the batch that already holds this exact file


def importer_for(path: Path) -> Importer:
    check_readable(path)
    for importer in IMPORTERS:
        if importer.identify(path):
            return importer
    raise InputError(f"{path}: no importer reads this file; export it as .xlsx or .csv")


def read_files(engine: Engine, paths: list[Path], profile: Profile) -> list[ReadFile]:
    """Read and parse every file; raises InputError (nothing written) for the first unreadable one."""
    read = []
    for path in paths:
        check_readable(path)
        sha = file_sha256(path)
        previous = existing_batch(engine, sha)
        rows = [] if previous else list(importer_for(path).extract(path, profile))
        read.append(ReadFile(path, sha, rows, previous))
    return read


def records_frame(rows: list[ParsedRow], file_name: str) -> pl.DataFrame:
    """The valid records of a file as a frame, with their source, for the expectation suite."""
    data = [{**{k: r.record.get(k) for k in RECORD_SCHEMA if k in r.record}, "source_file": file_name,
             "source_sheet": r.sheet, "source_row": r.row} for r in rows if r.record is not None]
    return pl.DataFrame(data, schema=RECORD_SCHEMA)


def import_files(engine: Engine, paths: list[Path], profile: Profile, operator: str, *, strict: bool = False,
                 dry_run: bool = False, validate: bool = True,
                 progress: Callable[[int], None] | None = None) -> tuple[list[FileOutcome], list[Finding]]:
    files = read_files(engine, paths, profile)
    suite = load_suite() if validate else []
    outcomes, findings = [], []
    for item in files:
        if item.previous is not None:
            outcomes.append(already_imported(item.path, item.previous))
            continue
        if suite:
            findings += [f for f in run_suite(records_frame(item.rows, item.path.name), suite) if not f.success]
        outcomes.append(post_file(engine, item.path, item.sha256, item.rows, profile=profile.name,
                                  operator=operator, strict=strict, dry_run=dry_run, progress=progress))
    return outcomes, findings
