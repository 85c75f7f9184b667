"""A source row read back, cell by cell, from the file kept in the ledger (ledger/sources.py): the importer's own
reader over the stored bytes (every cell as text through calamine; a CSV decoded as the importer decoded it),
each cell named as the batch's import named the columns. What the record page and `ggzy history` show as raw
cells, for posted records as for held rows."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from ggzy.imports.sheets import grid_from_bytes
from ggzy.ledger.sources import KeptFile, kept_file, read_source
from sqlalchemy.engine import Engine

_KEPT_GRIDS = 2  # sheets kept in memory between calls (a 200,000-row sheet takes a second or two to read)
_grids: OrderedDict[tuple[str, str], pl.DataFrame | None] = OrderedDict()
_lock = threading.Lock()


@dataclass
class SourceRow:
    """A source row's cells as (column name, text), or why they cannot be shown: ``missing`` is 'not_kept' (the
    batch was imported before the ledger kept files), 'no_row' (the kept file has no such sheet or row) or
    'no_batch' (reports/labels.py words them)."""

    batch_id: int
    file_name: str
    sheet: str
    row: int
    sha256: str = ""
    cells: list[tuple[str, str | None]] = field(default_factory=list)
    missing: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return dict(self.cells)


def _grid(engine: Engine, found: KeptFile, sheet: str) -> pl.DataFrame | None:
    key = (found.sha256, sheet)
    with _lock:
        if key in _grids:
            _grids.move_to_end(key)
            return _grids[key]
    with engine.connect() as conn:
        data = read_source(conn, found)
    grid = grid_from_bytes(data, found.file_name, sheet)
    with _lock:
        _grids[key] = grid
        while len(_grids) > _KEPT_GRIDS:
            _grids.popitem(last=False)
    return grid


def source_row(engine: Engine, batch_id: int, sheet: str, row: int) -> SourceRow:
    """Row ``row`` (as the spreadsheet numbers it) of sheet ``sheet`` of batch ``batch_id``'s file."""
    with engine.connect() as conn:
        found = kept_file(conn, batch_id)
    if found is None:
        return SourceRow(batch_id, "", sheet, row, missing="no_batch")
    shown = SourceRow(batch_id, found.file_name, sheet, row, found.sha256)
    if not found.kept:
        shown.missing = "not_kept"
        return shown
    grid = _grid(engine, found, sheet)
    if grid is None or not 0 < row <= grid.height:
        shown.missing = "no_row"
        return shown
    names: list[str] = (json.loads(found.sheet_columns or "{}")).get(sheet) or []
    values: tuple[Any, ...] = grid.row(row - 1)
    shown.cells = [(names[i] if i < len(names) else f"column {i + 1}", value) for i, value in enumerate(values)]
    return shown
