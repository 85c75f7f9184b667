"""Ledger tables. Money columns are integer fen (BIGINT); nothing here is ever updated in place."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import BigInteger, Column, Index, LargeBinary, Table, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class LedgerTable(SQLModel):
    """Base of the ledger's tables. SQLModel's metaclass gives each table class its SQLAlchemy ``__table__``;
    this declares it, so the type checker knows ``Model.__table__`` is a Table."""

    __table__: ClassVar[Table]


class RecordFields(LedgerTable):
    """The fields of one version of a trading record (DESIGN.md words), written once for both tables that hold
    versions: ``trade_record`` (the version as first posted) and ``record_amendment`` (each later version).
    Declared in the order the content hash joins them (``chain.record_hash``; the order is frozen by a test)."""

    category: str  # looked up through the natural key's index, which starts with it
    subcategory: str | None = None
    project_code: str
    section_code: str = ""  # '' when the source has no section: part of the natural key
    name: str | None = None
    # a listing filtered by a county or a month scans as fast as it looks up a low-selectivity index
    # (measured: benchmarks/README.md)
    region: str | None = None
    status: str
    method: str | None = None
    budget_fen: int | None = Field(default=None, sa_type=BigInteger)
    control_price_fen: int | None = Field(default=None, sa_type=BigInteger)
    reserve_fen: int | None = Field(default=None, sa_type=BigInteger)
    deal_fen: int | None = Field(default=None, sa_type=BigInteger)
    winner: str | None = None
    trade_date: dt.date
    bidders: int | None = None  # 投标人数 / 竞买人数, where the source gives it
    period: str  # 'YYYY-MM' of trade_date


#: the fields of a record version, in hash order; every version (posted or amended) carries all of them
VERSIONED = tuple(RecordFields.model_fields)
#: the fields a record's content hash covers (its period follows from its trade date)
RECORD_FIELDS = tuple(f for f in VERSIONED if f != "period")
MONEY_FIELDS = tuple(f for f in RECORD_FIELDS if f.endswith("_fen"))
#: where a version came from: the batch and source row that last imported it, and its content hash
PROVENANCE = ("batch_id", "source_file", "source_sheet", "source_row", "content_sha256")


class ImportBatch(LedgerTable, table=True):
    """One imported file: its provenance and how every row of it ended."""

    __tablename__ = "import_batch"
    # a batch is a reading of the file's bytes under one profile that changed something: the same file is read
    # again when that could change something (another profile or vocabulary, rows of it still held, records
    # corrected since), and a reading that changes nothing writes nothing (ledger/readings.py); two processes
    # reading it at once: one wins
    __table_args__ = (Index("uq_import_batch_reading", "sha256", "profile_sha256", "reading", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    file_name: str
    sha256: str = Field(index=True)
    sheets: str = ""  # sheet names read, comma separated
    title: str | None = None  # the first sheet's title line, e.g. '…2022年7月进场交易项目明细表'
    profile: str = ""
    operator: str
    imported_at: dt.datetime
    rows: int = 0
    posted: int = 0
    unchanged: int = 0
    quarantined: int = 0
    conflicts: int = 0
    # SHA-256 of the profile's reading settings (imports.base.Profile.fingerprint); None for batches imported
    # before revision 0004, which are matched by the profile's name
    profile_sha256: str | None = None
    reading: int | None = None  # 1 for the file's first reading under this profile, 2 for the next…
    # the columns below are None in batches imported before revision 0005, whose files were not kept
    source_bytes: int | None = Field(default=None, sa_type=BigInteger)  # size of the file kept in source_file
    # {sheet: [a name for every column of its grid: header text or 'column N']}, as a row's raw cells are shown
    sheet_columns: str | None = Field(default=None, sa_column=Column(Text))
    # SHA-256 of the vocabulary files the file was read with (vocab.fingerprint); None before revision 0006
    vocabulary_sha256: str | None = None


class SourceFile(LedgerTable, table=True):
    """The bytes of an imported file, kept once however many batches read it (``import_batch.sha256``): what a
    record's raw cells are read from and ``ggzy source`` writes back out. Kept in parts (ledger/sources.py), so
    no single value nears what a database takes in one field; ``verify`` hashes the parts to the SHA-256."""

    __tablename__ = "source_file"
    __table_args__ = (Index("uq_source_file_part", "sha256", "part", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    sha256: str
    part: int  # 0, 1, … in file order
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class TradeRecord(RecordFields, table=True):
    """One trading record as first posted, with the source row it came from. Later versions (amendments, voids,
    re-imports of a voided key) are rows of record_amendment; view current_record gives the latest.

    Only the natural key is indexed: measures read record_total, and every extra index costs each import
    (batch_id, region and period indexes together were a third of the insert time at 200,000 rows).
    """

    __tablename__ = "trade_record"
    __table_args__ = (UniqueConstraint("category", "project_code", "section_code", name="uq_natural_key"),)
    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="import_batch.id")
    source_file: str
    source_sheet: str
    source_row: int
    content_sha256: str


class RecordTotal(LedgerTable, table=True):
    """Sums of the records posted by one batch, per (category, subcategory, region, month, status) and per
    pattern of present fields: what measures are computed from, so `rates` and `reconcile` read a few
    thousand rows instead of millions. Written in the same transaction as the records it sums; `init`
    rebuilds it for a ledger that predates it. Measures that are not linear (abs, products) read the records.
    """

    __tablename__ = "record_total"
    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="import_batch.id", index=True)
    category: str
    subcategory: str | None = None
    region: str | None = None
    period: str
    status: str
    has_budget: bool
    has_control_price: bool
    has_reserve: bool
    has_deal: bool
    has_bidders: bool
    records: int
    budget_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    control_price_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    reserve_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    deal_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    bidders: int = Field(sa_column=Column(BigInteger, nullable=False))


class QuarantinedRow(LedgerTable, table=True):
    """A source row that did not become a record: invalid, or in conflict with a posted record."""

    __tablename__ = "quarantined_row"
    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="import_batch.id", index=True)
    kind: str  # 'invalid' | 'conflict'
    source_file: str
    source_sheet: str
    source_row: int
    reasons: str = Field(sa_column=Column(Text, nullable=False))
    raw_json: str = Field(sa_column=Column(Text, nullable=False))  # the cells as read, header → text
    record_json: str | None = Field(default=None, sa_column=Column(Text))  # parsed record (conflicts)
    existing_record_id: int | None = Field(default=None, foreign_key="trade_record.id")
    # the natural key, as far as the row gave it: a later import posting that key resolves the row
    category: str | None = None
    project_code: str | None = Field(default=None, index=True)
    section_code: str | None = None


class QuarantineResolution(LedgerTable, table=True):
    """A held row resolved (appended, never an edit of the held row itself): only by a row that is it — the same
    source row read again, or a row whose content it equals — or by the user, who names the record (ggzy resolve)."""

    __tablename__ = "quarantine_resolution"
    id: int | None = Field(default=None, primary_key=True)
    quarantined_row_id: int = Field(foreign_key="quarantined_row.id", unique=True)
    # the import that resolved it; for a resolution the user confirmed, the batch of the record's version
    batch_id: int = Field(foreign_key="import_batch.id", index=True)
    # 'posted' | 'unchanged' (the row, or its content, is now a record's version) | 'superseded' (the same row
    # read again and held again) | 'confirmed' (the user said which record holds it, and why)
    how: str
    resolved_at: dt.datetime
    # the record it was resolved onto (None for superseded, and for resolutions made before revision 0006)
    record_id: int | None = Field(default=None, foreign_key="trade_record.id")
    operator: str | None = None  # who imported the batch that resolved it, or confirmed it (None before 0006)
    reason: str | None = Field(default=None, sa_column=Column(Text))  # why (confirmed only)


class ImportTotal(LedgerTable, table=True):
    """A 合计/小计 row of an imported sheet and how it compared with the rows above it."""

    __tablename__ = "import_total"
    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="import_batch.id", index=True)
    source_sheet: str
    source_row: int
    label: str
    column_name: str
    unit: str
    stated: str
    rows_sum: str
    difference: str
    record_rows: int
    held_rows: int
    status: str  # 'ok' | 'difference'


class ReconciliationRun(LedgerTable, table=True):
    """A reconciliation as run: who, when, against which file, and its full JSON result."""

    __tablename__ = "reconciliation_run"
    id: int | None = Field(default=None, primary_key=True)
    ran_at: dt.datetime
    operator: str
    published_file: str
    published_sha256: str
    rules_file: str
    period: str
    ok: int
    discrepancy: int
    inconsistent: int
    result_json: str = Field(sa_column=Column(Text, nullable=False))


class RecordAmendment(RecordFields, table=True):
    """A later version of a posted record, appended (the record row itself is never updated): the record's
    complete version after the change, what changed, why and who. ``kind``: 'amend' (a correction), 'void' (takes
    the record out of every query and measure; its fields are the version voided) or 'reimport' (a row imported
    with the natural key of a voided record: the record's next version, with that row's provenance). The latest
    amendment of a record is its current version (view ``current_record``)."""

    __tablename__ = "record_amendment"
    # one next version per version: two writers amending the same version at once cannot both succeed
    __table_args__ = (Index("uq_record_amendment_version", "record_id", "version", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="trade_record.id")
    kind: str  # 'amend' | 'void' | 'reimport'
    changes_json: str = Field(sa_column=Column(Text, nullable=False))  # {field: [before, after]}
    reason: str = Field(sa_column=Column(Text, nullable=False))
    operator: str
    created_at: dt.datetime
    # the columns below are None in amendments written before revision 0004
    version: int | None = None  # 1 for the record's first amendment, 2 for the next…
    batch_id: int | None = Field(default=None, foreign_key="import_batch.id")  # provenance of this version:
    source_file: str | None = None  # the batch and source row that imported it (a reimport's own, else
    source_sheet: str | None = None  # those of the version it follows)
    source_row: int | None = None
    content_sha256: str | None = None  # content hash of this version's fields
    # the money unit the user gave the amendment's amounts in (元/万元/亿元), shown with its before → after;
    # None for voids, re-imports and amendments written before revision 0005 (shown in 元)
    unit: str | None = None


class PeriodEvent(LedgerTable, table=True):
    """A month closed or reopened (appended; the latest event of a month says whether it is closed).
    Closing stores the hash chain's head at that moment."""

    __tablename__ = "period_event"
    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(index=True)  # 'YYYY-MM'
    action: str  # 'close' | 'reopen'
    reason: str = Field(sa_column=Column(Text, nullable=False))
    operator: str
    at: dt.datetime
    digest: str | None = None  # chain head when closed


class ChainLink(LedgerTable, table=True):
    """One link of the ledger's hash chain: SHA-256 of (previous link, content digest) for every batch,
    amendment and period event, in the order they were written."""

    __tablename__ = "chain_link"
    id: int | None = Field(default=None, primary_key=True)
    kind: str  # 'batch' | 'amendment' | 'period'
    ref_id: int
    content_sha256: str
    previous: str
    link: str = Field(unique=True)
