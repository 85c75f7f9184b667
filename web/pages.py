"""What the web view's pages are made of: sections (a labelled table, a chart, a paragraph) turned into plain
rows of (text, link, numeric) cells for the template, and the downloads of a page's main table."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from ggzy.reports.html import NUMERIC
from ggzy.reports.tables import Col, Table, cell_text, csv_value

Linker = Callable[[str, dict[str, Any]], str | None]
PAGE_SIZE = 100


@dataclass
class Section:
    title: str | None = None
    table: Table | None = None
    link: Linker | None = None
    svg: str | None = None  # an inline chart from reports/html.py (escaped there)
    text: str | None = None
    anchor: str | None = None
    downloads: dict[str, str] = field(default_factory=dict)  # label → href
    pager: dict[str, str] = field(default_factory=dict)  # label → href


def rendered(section: Section) -> dict[str, Any]:
    """The section as the template reads it: header labels and rows of cells, all text already decided."""
    out: dict[str, Any] = {"title": section.title, "svg": section.svg, "text": section.text, "anchor": section.anchor,
                           "downloads": section.downloads, "pager": section.pager, "table": None}
    table = section.table
    if table is None:
        return out
    rows = []
    for index, values in enumerate(table.rows):
        refs = table.refs[index] if index < len(table.refs) else {}
        cells = []
        for column, value in zip(table.columns, values, strict=False):
            href = section.link(column.key, refs) if section.link is not None and value not in (None, "") else None
            cells.append({"text": cell_text(value, column.kind), "href": href, "num": column.kind in NUMERIC})
        rows.append({"cells": cells, "bad": index < len(table.bad) and table.bad[index]})
    out["table"] = {"title": table.title, "note": table.note, "header": table.header, "rows": rows}
    return out


def key_values(pairs: list[tuple[str, Any]], title: str | None = None) -> Table:
    """A two-column table of labelled values (a record's fields, a batch's provenance)."""
    from ggzy.reports.labels import LABELS

    t = LABELS["zh"]
    return Table([Col("key", t["key"]), Col("value", t["value"])], [list(p) for p in pairs], title=title)


def with_query(path: str, params: dict[str, Any], **changes: Any) -> str:
    """``path`` with ``params`` updated by ``changes`` (None drops a key): stable links that keep filters."""
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return f"{path}?{urlencode(merged)}" if merged else path


def _inert(value: Any) -> Any:
    """CSV: a text starting with = + - @ gets a leading ' so spreadsheets keep it inert (as `ggzy records`)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def csv_bytes(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow([_inert(cell_text(v, c.kind, grouping=False) if c.kind in ("rate",) else csv_value(v))
                         for c, v in zip(table.columns, row, strict=False)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # a BOM: Excel opens Chinese CSV as UTF-8


def xlsx_bytes(table: Table, sheet: str) -> bytes:
    from ggzy.reports.workbook import table_workbook

    buffer = io.BytesIO()
    table_workbook(buffer, table, sheet)
    return buffer.getvalue()
