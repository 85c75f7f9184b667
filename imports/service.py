"""Importing files into the ledger: read every file first (a bad file stops everything before any
write), check each file's records with the record-level suite, then post each file as one transaction."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from ggzy.errors import InputError
from ggzy.imports.base import Importer, Profile
from ggzy.imports.explain import SheetReading
from ggzy.imports.sheets import check_readable, file_sha256
from ggzy.imports.table import TableImporter
from ggzy.ledger.posting import FileOutcome, already_imported, post_file
from ggzy.ledger.readings import existing_batch
from ggzy.ledger.staging import SheetExtract
from ggzy.rules.level_frames import record_frame
from ggzy.rules.suites import SOURCE_COLUMNS, Finding, Suite, load_suite
from ggzy.vocab import fingerprint as vocabulary_fingerprint
from sqlalchemy.engine import Engine

IMPORTERS: list[Importer] = [TableImporter()]


@dataclass
class ReadFile:
    path: Path
    sha256: str
    sheets: list[SheetExtract] = field(default_factory=list)
    previous: Any = None  # the reading that already holds this exact file, when reading it again changes nothing


@dataclass
class Progress:
    """Callbacks for a progress display: rows read, rows posted."""

    read: Callable[[int], None] = lambda _n: None
    posted: Callable[[int], None] = lambda _n: None
    sheet: Callable[[SheetExtract], None] = lambda _s: None  # each sheet as read (its header reading)


def importer_for(path: Path) -> Importer:
    check_readable(path)
    for importer in IMPORTERS:
        if importer.identify(path):
            return importer
    raise InputError(f"{path}: no importer reads this file; export it as .xlsx, .xls or .csv")


def read_headers(paths: list[Path], profile: Profile) -> list[SheetReading]:
    """What every sheet's header says (decisions with reasons), without reading records or writing anything."""
    readings: list[SheetReading] = []
    for path in paths:
        importer = importer_for(path)
        if isinstance(importer, TableImporter):
            readings.extend(importer.read_headers(path, profile))
    return readings


def read_files(engine: Engine, paths: list[Path], profile: Profile, progress: Progress,
               vocabulary: str | None = None) -> list[ReadFile]:
    """Read and parse every file that must be read (not one already imported that reading again cannot change:
    ledger/readings.py); raises InputError (nothing written) for the first unreadable one. ``vocabulary``: the
    vocabulary's digest (vocab.fingerprint). (``import_files`` has checked that each is there and of a kind we
    read before any is read.)"""
    read: list[ReadFile] = []
    for path in paths:
        sha = file_sha256(path)
        previous = existing_batch(engine, sha, profile.fingerprint(), profile.name, vocabulary)
        sheets = []
        if previous is None:
            for sheet in importer_for(path).extract(path, profile):
                sheets.append(sheet)
                progress.read(sheet.rows)
                progress.sheet(sheet)
        read.append(ReadFile(path, sha, sheets, previous))
    return read


def records_frame(sheets: list[SheetExtract], file_name: str) -> pl.DataFrame:
    """The valid records of a file as one frame, with their source and sheet title, for the suite."""
    frames = [s.records.with_columns(title=pl.lit(s.title, pl.String)) for s in sheets if s.records.height]
    if not frames:
        return pl.DataFrame()
    return record_frame(pl.concat(frames).with_columns(source_file=pl.lit(file_name)))


class RecordChecks:
    """The record-level suite over each file's records, before and beside the posting.

    Every file's records are screened (rules/screening.py) before anything is posted. Great Expectations is
    imported only when some file fails an expectation (or the screen cannot read the suite): it then builds the
    suite before any write (a suite it cannot build stops the import, exit 2, nothing written) and validates
    those files in a worker thread while the main thread posts (polars, the reader and the database drivers
    release the GIL). GX's result is what is reported.
    """

    def __init__(self, suite: Suite) -> None:
        from ggzy.rules.screening import can_screen
        from ggzy.rules.validation import prepare_suite

        self.suite = suite
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ggzy-expectations")
        # a suite the screen cannot read goes to GX anyway: import it while the workbooks are read
        self.ready: Future[Any] | None = None if can_screen(suite) else self.worker.submit(prepare_suite, suite)
        self.pending: list[Future[list[Finding]]] = []

    def start(self, frames: list[pl.DataFrame]) -> None:
        """Screen every file's records; hand the files where something fails to GX in the worker."""
        from ggzy.rules.screening import screen
        from ggzy.rules.validation import check_columns, columns_used, gx_failures, prepare_suite

        failing = []
        for records in frames:
            if not records.height:
                continue
            check_columns(self.suite, records.columns)  # a suite naming a column records lack stops the import
            needed = columns_used(self.suite, records.columns) + [c for c in SOURCE_COLUMNS if c in records.columns]
            selected = records.select(list(dict.fromkeys(needed)))
            if self.ready is not None or not screen(selected, self.suite).passed:
                failing.append(selected)
        if failing:
            if self.ready is None:
                self.ready = self.worker.submit(prepare_suite, self.suite)
            self.ready.result()
            self.pending = [self.worker.submit(gx_failures, selected, self.suite) for selected in failing]

    def findings(self) -> list[Finding]:
        """The failed expectations, as GX reported them (none when every file passed the screen)."""
        return [finding for pending in self.pending for finding in pending.result()]

    def close(self) -> None:
        self.worker.shutdown(wait=True, cancel_futures=True)


def import_files(engine: Engine, paths: list[Path], profile: Profile, operator: str, *, strict: bool = False,
                 dry_run: bool = False, validate: bool = True, suite: Suite | None = None,
                 progress: Progress | None = None) -> tuple[list[FileOutcome], list[Finding]]:
    """Read every file, screen every file's records with the record-level suite (``suite``, default the
    shipped one), then post each file while GX validates those in which something failed.

    Findings never change what is posted: a record that breaks an expectation is posted and reported.
    """
    progress = progress or Progress()
    suite = (suite or load_suite(level="record")) if validate else None
    for path in paths:  # fail fast on a missing or refused file before reading any big one or starting GX
        check_readable(path)
    checks = RecordChecks(suite) if suite is not None and suite.specs else None
    try:
        vocabulary = vocabulary_fingerprint()
        files = read_files(engine, paths, profile, progress, vocabulary)
        to_post = [item for item in files if item.previous is None]
        if checks is not None:
            checks.start([records_frame(item.sheets, item.path.name) for item in to_post])
        outcomes = []
        for item in files:
            if item.previous is not None:
                outcomes.append(already_imported(item.path, item.previous))
                continue
            outcomes.append(post_file(engine, item.path, item.sha256, item.sheets, profile=profile.name,
                                      profile_sha256=profile.fingerprint(), vocabulary_sha256=vocabulary,
                                      operator=operator, strict=strict, dry_run=dry_run, progress=progress.posted,
                                      source=item.path))
        findings = checks.findings() if checks is not None else []
        # a file read again that changed nothing (already_imported) reports no findings, as when it is not read
        # again: its records were reported when they were posted, and `ggzy check` reports the ledger
        settled = {item.path.name for item, outcome in zip(files, outcomes, strict=True)
                   if outcome.status == "already_imported"}
        settled -= {item.path.name for item, outcome in zip(files, outcomes, strict=True)
                    if outcome.status != "already_imported"}
        findings = [f for f in findings if not f.records or any(r.get("source_file") not in settled
                                                                 for r in f.records)]
    finally:
        if checks is not None:
            checks.close()
    return outcomes, findings
