"""Reading files into grids of cell text: .xlsx and old .xls in bulk through fastexcel (calamine), CSV in UTF-8 or
GBK.

Every cell is read as text, so amounts never pass through a float of ours; row i of a grid is row i+1
of the sheet (leading blank rows are kept, so row numbers match what Excel shows).
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from ggzy.errors import InputError
from ggzy.imports.html_table import looks_like_html, page_grid

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .xlsx, or an old .xls, is an OLE container
REFUSED_SUFFIXES = (".xlsm", ".xlsb", ".ods", ".et", ".wps")
WORKBOOK_SUFFIXES = (".xlsx", ".xls")

# Limits on an .xlsx before any of it is decompressed (README "What ggzy promises"). A real 1,000,000-row
# detail sheet is ~610 MiB of XML compressed 8.5:1; a decompression bomb is hundreds or thousands to one.
MAX_UNCOMPRESSED = 2 << 30  # bytes of XML and other parts, all members together
MAX_RATIO = 100  # uncompressed ÷ compressed, for any member above RATIO_FLOOR
RATIO_FLOOR = 16 << 20
MAX_MEMBERS = 10_000
MAX_PAGE = 256 << 20  # a web page saved as .xls is parsed whole: a month's records are a few MiB
MAX_COLUMNS = 1_024  # a sheet's declared used range; Excel allows 16,384 (XFD)
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]*\d*:?([A-Z]+)(\d+)"')


@dataclass(frozen=True)
class Merge:
    """A merged range, 0-based and inclusive: rows as in the grid, columns as in the grid."""

    first_row: int
    first_column: int
    last_row: int
    last_column: int


@dataclass
class Sheet:
    name: str
    grid: pl.DataFrame  # every column String; row i is sheet row i + 1
    merges: list[Merge] = field(default_factory=list)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def expand_folders(paths: list[Path]) -> list[Path]:
    """The files to import: a folder stands for the workbooks and CSV files directly in it, by name (a month's
    folder as the accountant received it); Excel's lock files (~$…) and hidden files are not workbooks."""
    files: list[Path] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        inside = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (*WORKBOOK_SUFFIXES, ".csv")
                        and not p.name.startswith(("~$", ".")))
        if not inside:
            raise InputError(f"{path}: is a folder with no .xlsx, .xls or .csv file in it; give the workbook files "
                             "to import")
        files.extend(inside)
    return files


def check_readable(path: Path) -> None:
    """Raise InputError, saying what to do, for a path that cannot be a workbook or CSV."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError(f"{path}: file not found; check the path")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give the workbook files inside it")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: file is empty; export the workbook again")
    if suffix in REFUSED_SUFFIXES:
        raise InputError(f"{path}: {suffix} files are not read; save the workbook as .xlsx (Excel: 另存为 → "
                         "Excel 工作簿 .xlsx) and import that")
    if suffix not in (*WORKBOOK_SUFFIXES, ".csv"):
        raise InputError(f"{path}: not a workbook (.xlsx, .xls) or CSV file; export it as .xlsx or .csv")
    if suffix == ".xls":
        _check_old_workbook(path)
    if suffix == ".xlsx":
        with path.open("rb") as handle:
            head = handle.read(8)
        if head == OLE_MAGIC:
            raise InputError(f"{path}: is password-protected (encrypted) or an old .xls renamed to .xlsx; open it "
                             "in Excel, remove the password (文件 → 信息 → 保护工作簿) and save it as .xlsx")
        check_archive(path)


def _check_old_workbook(path: Path) -> None:
    """An .xls must be an Excel 97–2003 (OLE) file: web systems often save an HTML page or text under that name."""
    with path.open("rb") as handle:
        head = handle.read(512)
    if head.startswith(OLE_MAGIC):
        if path.stat().st_size > MAX_UNCOMPRESSED:
            raise InputError(f"{path}: is {path.stat().st_size / 2**30:.1f} GiB (limit "
                             f"{MAX_UNCOMPRESSED / 2**30:.0f} GiB); split the workbook into smaller files")
        return
    if head.startswith(b"PK"):
        raise InputError(f"{path}: is an .xlsx workbook named .xls; rename it to .xlsx and import that")
    if looks_like_html(head):  # a web page exported under an .xls name: read as Excel would show it
        if path.stat().st_size > MAX_PAGE:
            raise InputError(f"{path}: is a web page of {path.stat().st_size / 2**20:.0f} MiB saved with an .xls name "
                             f"(limit {MAX_PAGE / 2**20:.0f} MiB); open it in Excel and save it as .xlsx")
        return
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<", b"mime-version")):
        raise InputError(f"{path}: is a web archive (MHTML) or markup saved with an .xls name, not a workbook; open "
                         "it in Excel and save it as .xlsx (另存为 → Excel 工作簿), then import that")
    raise InputError(f"{path}: is not an Excel workbook although named .xls (it may be text or damaged); open it in "
                     "Excel and save it as .xlsx, or export it as .csv")


def check_archive(path: Path) -> None:
    """Refuse an .xlsx whose parts would decompress beyond the limits, before reading any of it."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise InputError(f"{path}: has {len(members):,} parts (limit {MAX_MEMBERS:,}); not a workbook ggzy "
                                 "reads — open it in Excel and save it again as .xlsx")
            total = sum(m.file_size for m in members)
            if total > MAX_UNCOMPRESSED:
                raise InputError(f"{path}: would expand to {total / 2**30:.1f} GiB (limit "
                                 f"{MAX_UNCOMPRESSED / 2**30:.0f} GiB); split the workbook into smaller files")
            for member in members:
                ratio = member.file_size // max(member.compress_size, 1)
                if member.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
                    raise InputError(f"{path}: part {member.filename} expands {ratio:,} times (limit {MAX_RATIO}); it "
                                     "looks like a decompression bomb, not a workbook — it was not read")
            for member in members:
                if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                    with archive.open(member) as stream:
                        found = _DIMENSION.search(stream.read(4096))
                    if found and _column_number(found[1]) + 1 > MAX_COLUMNS:
                        raise InputError(f"{path}: a sheet ({member.filename}) spans to column {found[1].decode()} "
                                         f"({_column_number(found[1]) + 1:,} columns; limit {MAX_COLUMNS:,}): delete "
                                         "the empty columns right of the table in Excel and save again")
    except zipfile.BadZipFile:
        if path.name.startswith("~$"):
            raise InputError(f"{path}: this is the lock file Excel writes beside a workbook while it is open, not a "
                             "workbook: import the workbook itself (its name without ~$), after saving it") from None
        raise InputError(f"{path}: cannot be read as an .xlsx workbook (not a valid zip file); it may be damaged "
                         "— open it in Excel and save it again as .xlsx") from None


def read_sheets(path: Path, only: list[str] | None = None) -> list[Sheet]:
    """The sheets of a workbook (or the one 'sheet' of a CSV) as grids of text."""
    check_readable(path)
    if path.suffix.lower() == ".csv":
        return [Sheet(path.stem, _read_csv(path))]
    if is_web_page(path):
        page = _page_sheet(path.read_bytes(), path.name)
        _check_named(path, [page.name], only or [])
        return [page]
    import fastexcel

    try:
        reader = fastexcel.read_excel(str(path))
        names = reader.sheet_names
    except Exception as exc:  # calamine reports damaged files with varied exception types
        raise InputError(f"{path}: cannot be read as a workbook ({type(exc).__name__}); it may be damaged, "
                         "password-protected or not a workbook — open it in Excel and save it again as .xlsx") from None
    if only:
        _check_named(path, names, only)
        names = [name for name in names if name in only]
    sheets = []
    with ThreadPoolExecutor(max_workers=1) as worker:  # merges are scanned while calamine reads the cells
        merges = worker.submit(lambda: {name: merged_ranges(path, name) for name in names})
        for name in names:
            try:
                grid = _grid(reader, name)
            except Exception as exc:
                raise InputError(f"{path}, sheet {name}: cannot be read ({type(exc).__name__}: {exc}); open the "
                                 "workbook in Excel and save it again as .xlsx") from None
            sheets.append(Sheet(name, grid))
        for read in sheets:
            read.merges = merges.result()[read.name]
    return sheets


def is_web_page(path: Path) -> bool:
    """An .xls that is an HTML page (check_readable has let only such pages and real workbooks through)."""
    if path.suffix.lower() != ".xls":
        return False
    with path.open("rb") as handle:
        return looks_like_html(handle.read(512))


def _page_sheet(data: bytes, file_name: str) -> Sheet:
    """The one sheet Excel makes of a web page: named after the file (at most 31 characters, as Excel allows)."""
    grid, merges = page_grid(data, file_name)
    return Sheet(Path(file_name).stem[:31], grid, [Merge(*m) for m in merges])


def _check_named(path: Path, names: list[str], only: list[str]) -> None:
    """The sheets a profile names must be in the workbook."""
    if missing := [name for name in only if name not in names]:
        raise InputError(f"{path}: sheet(s) {', '.join(missing)} named in the profile are not in the workbook "
                         f"(it has {', '.join(names)}); fix sheets: in the profile")


def _grid(reader: Any, name: str) -> pl.DataFrame:
    """A sheet of a fastexcel reader as a grid: every cell as text, columns c0, c1, …"""
    grid = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string").to_polars()
    return grid.rename({c: f"c{i}" for i, c in enumerate(grid.columns)})


def grid_from_bytes(data: bytes, file_name: str, sheet: str) -> pl.DataFrame | None:
    """One sheet of a file's bytes (a file kept in the ledger) read as the importer read it: the same grid of
    text, row i = sheet row i + 1; None when the workbook has no such sheet."""
    if file_name.lower().endswith(".csv"):
        return _csv_grid(data, file_name)
    if file_name.lower().endswith(".xls") and looks_like_html(data[:512]):
        page = _page_sheet(data, file_name)
        return page.grid if page.name == sheet else None
    import fastexcel

    reader = fastexcel.read_excel(data)
    return _grid(reader, sheet) if sheet in reader.sheet_names else None


def _read_csv(path: Path) -> pl.DataFrame:
    return _csv_grid(path.read_bytes(), str(path))


def _csv_grid(data: bytes, path: str) -> pl.DataFrame:
    """A CSV's bytes as a grid: UTF-8 (with or without BOM), else GB18030 (which decodes any bytes)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise InputError(f"{path}: not UTF-8 or GBK text; save the CSV as UTF-8")
    if "\x00" in text:
        raise InputError(f"{path}: is binary, not a CSV text file; export it again as CSV")
    rows = list(csv.reader(io.StringIO(text)))
    width = max((len(r) for r in rows), default=0)
    columns = {f"c{i}": [r[i] if i < len(r) and r[i] != "" else None for r in rows] for i in range(width)}
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))


_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_VALUED_CELL = re.compile(rb'<c r="([A-Z]+)\d+"(?:\s[^>]*)?(?<!/)>')


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number - 1


def _sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its XML inside the workbook."""
    book = archive.read("xl/workbook.xml").decode("utf-8")
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = {}
    for element in re.findall(r"<Relationship\b[^>]*>", rels):
        attributes = dict(re.findall(r'(\w+)="([^"]*)"', element))
        targets[attributes.get("Id")] = attributes.get("Target", "")
    members = {}
    for element in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", book):
        attributes = dict(re.findall(r'([\w:]+)="([^"]*)"', element))
        target = targets.get(attributes.get("r:id"), "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        members[html.unescape(attributes.get("name", ""))] = path
    return members


def merged_ranges(path: Path, sheet: str) -> list[Merge]:
    """The merged ranges of a workbook's sheet, in grid coordinates; [] for CSV or when there are none.

    calamine does not report merges, so the sheet's XML is streamed once for its <mergeCells> (it comes
    after the cells). The grid starts at the first column holding a value, which is looked up only
    when there are merges.
    """
    if path.suffix.lower() == ".xls":
        return _old_workbook_merges(path, sheet)
    if path.suffix.lower() != ".xlsx":
        return []
    try:
        with zipfile.ZipFile(path) as archive:
            member = _sheet_members(archive).get(sheet)
            if member is None:
                return []
            found = _scan(archive, member, b"<mergeCells", _MERGE)
            if not found:
                return []
            first = min(_column_number(m[1]) for m in _scan(archive, member, b"<sheetData", _VALUED_CELL))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return []  # calamine read the cells; without merge information they are taken as they are
    return [Merge(int(m[2]) - 1, _column_number(m[1]) - first, int(m[4]) - 1, _column_number(m[3]) - first)
            for m in found]


def _old_workbook_merges(path: Path, sheet: str) -> list[Merge]:
    """The merged ranges of an .xls sheet (xlrd reads BIFF's MERGEDCELLS records; calamine does not report them)."""
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, logfile=io.StringIO())
        try:
            found = book.sheet_by_name(sheet)
            ranges = list(found.merged_cells)  # (first row, row after, first column, column after)
            if not ranges:
                return []
            empty = (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK)  # the grid starts at the first column holding a value
            first = next((column for column in range(found.ncols)
                          if any(kind not in empty for kind in found.col_types(column))), 0)
        finally:
            book.release_resources()
    except Exception:  # xlrd raises varied errors on odd files; calamine has read the cells already
        return []
    return [Merge(top, left - first, bottom - 1, right - 1 - first) for top, bottom, left, right in ranges]


def _scan(archive: zipfile.ZipFile, member: str, start: bytes, pattern: re.Pattern[bytes]) -> list[re.Match[bytes]]:
    """Matches of ``pattern`` in the part of ``member`` from ``start`` on, reading it in blocks."""
    matches: list[re.Match[bytes]] = []
    pending, started = b"", False
    with archive.open(member) as stream:
        while block := stream.read(1 << 22):
            pending += block
            if not started:
                at = pending.find(start)
                if at < 0:
                    pending = pending[-len(start):]
                    continue
                started, pending = True, pending[at:]
            cut = pending.rfind(b"<")
            matches += pattern.finditer(pending[:cut])
            pending = pending[cut:]
    if started:
        matches += pattern.finditer(pending)
    return matches
