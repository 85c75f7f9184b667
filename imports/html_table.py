"""A web page saved under an .xls name — what many centres' systems export — read as Excel shows it when it opens
one: a single sheet named after the file, the page's lines of text (a title, 单位：万元) and its tables' rows in
order, a cell spanning rows or columns a merged range (its text in the top-left cell, as Excel does)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import polars as pl
from ggzy.errors import InputError

HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype|html|head|body|table|meta|style|div|tr|\?xml)",
                        re.IGNORECASE | re.DOTALL)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "li", "title", "center"}
_SKIPPED = {"script", "style", "head"}
MAX_CELLS = 4_000_000  # a month's export is ~10⁵ cells; spans beyond this are a hostile or broken page
_SPACE = re.compile(r"[ \t\r\n\f\v\xa0\u3000]+")


def looks_like_html(head: bytes) -> bool:
    """Whether a file's first bytes are an HTML page (a UTF-8 byte-order mark and blank lines allowed)."""
    return bool(HTML_START.match(head.removeprefix(b"\xef\xbb\xbf")))


def decode_page(data: bytes) -> str:
    """The page's text: the charset its <meta> names, else UTF-8, else GB18030 (which decodes any bytes)."""
    named = _CHARSET.search(data[:4096])
    candidates = [named[1].decode("ascii", "ignore")] if named else []
    for encoding in [*candidates, "utf-8-sig", "gb18030"]:
        try:
            return data.decode("gb18030" if encoding.lower() in ("gb2312", "gbk") else encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("gb18030", "replace")  # pragma: no cover - gb18030 decodes any byte string


@dataclass
class _Cell:
    text: list[str] = field(default_factory=list)
    rows: int = 1
    columns: int = 1


@dataclass
class _Table:
    rows: list[list[_Cell]] = field(default_factory=list)
    row: list[_Cell] | None = None
    cell: _Cell | None = None

    def close_cell(self) -> None:
        if self.cell is not None:
            if self.row is None:
                self.row = []
            self.row.append(self.cell)
            self.cell = None

    def close_row(self) -> None:
        self.close_cell()
        if self.row is not None:
            self.rows.append(self.row)
            self.row = None


def _span(value: str | None) -> int:
    digits = re.match(r"\s*(\d+)", value or "")
    return max(1, min(int(digits[1]), 1000)) if digits else 1


class _Page(HTMLParser):
    """The page as a list of parts: a line of text outside any table, or a table's rows of cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str | list[list[_Cell]]] = []
        self.tables: list[_Table] = []
        self.line: list[str] = []
        self.skipping = 0

    def _flush_line(self) -> None:
        text = _clean("".join(self.line))
        if text:
            self.parts.append(text)
        self.line = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        table = self.tables[-1] if self.tables else None
        if tag == "table":
            self._flush_line()
            self.tables.append(_Table())
        elif table is None:
            if tag in _BLOCKS or tag == "br":
                self._flush_line()
        elif tag == "tr":
            table.close_row()
            table.row = []
        elif tag in ("td", "th"):
            table.close_cell()
            named = dict(attrs)
            table.cell = _Cell(rows=_span(named.get("rowspan")), columns=_span(named.get("colspan")))
        elif tag == "br" and table.cell is not None:
            table.cell.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        table = self.tables[-1] if self.tables else None
        if tag == "table" and table is not None:
            table.close_row()
            self.tables.pop()
            if table.rows:
                self.parts.append(table.rows)
        elif table is None:
            if tag in _BLOCKS:
                self._flush_line()
        elif tag == "tr":
            table.close_row()
        elif tag in ("td", "th"):
            table.close_cell()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        table = self.tables[-1] if self.tables else None
        if table is None:
            self.line.append(data)
        elif table.cell is not None:
            table.cell.text.append(data)

    def close(self) -> None:
        super().close()
        while self.tables:
            self.handle_endtag("table")
        self._flush_line()


def _clean(text: str) -> str:
    """Whitespace as Excel shows it: runs collapsed, line breaks typed with <br> kept."""
    return "\n".join(line for line in (_SPACE.sub(" ", part).strip() for part in text.split("\n")) if line)


def page_grid(data: bytes, name: str = "page") -> tuple[pl.DataFrame, list[tuple[int, int, int, int]]]:
    """The page as one grid of text (columns c0, c1, …; row i is the sheet's row i + 1) and its merged ranges
    (first row, first column, last row, last column; 0-based, inclusive)."""
    page = _Page()
    page.feed(decode_page(data))
    page.close()
    cells: dict[tuple[int, int], str] = {}
    merges: list[tuple[int, int, int, int]] = []
    row = 0
    for part in page.parts:
        if isinstance(part, str):
            cells[(row, 0)] = part
            row += 1
            continue
        taken: set[tuple[int, int]] = set()
        for offset, table_row in enumerate(part):
            column = 0
            for cell in table_row:
                while (row + offset, column) in taken:
                    column += 1
                text = _clean("".join(cell.text))
                if text:
                    cells[(row + offset, column)] = text
                if len(taken) + cell.rows * cell.columns > MAX_CELLS:
                    raise InputError(f"{name}: the web page's table spans more than {MAX_CELLS:,} cells (rowspan/"
                                     "colspan); open it in Excel and save it as .xlsx, then import that")
                for r in range(cell.rows):
                    for c in range(cell.columns):
                        taken.add((row + offset + r, column + c))
                if cell.rows > 1 or cell.columns > 1:
                    merges.append((row + offset, column, row + offset + cell.rows - 1, column + cell.columns - 1))
                column += cell.columns
        row = max([row + len(part), *(r + 1 for r, _ in taken)])
    width = max((c + 1 for _, c in cells), default=0)
    if width * row > MAX_CELLS:
        raise InputError(f"{name}: the web page holds more than {MAX_CELLS:,} cells; open it in Excel and save it as "
                         ".xlsx, then import that")
    columns = {f"c{i}": [cells.get((r, i)) for r in range(row)] for i in range(width)}
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String)), merges
