"""Reading files into grids of cell text: .xlsx in bulk through fastexcel (calamine), CSV in UTF-8 or GBK.

Every cell is read as text, so amounts never pass through a float of ours; row i of a grid is row i+1
of the sheet (leading blank rows are kept, so row numbers match what Excel shows).
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ggzy.errors import InputError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .xlsx, or an old .xls, is an OLE container
REFUSED_SUFFIXES = (".xls", ".xlsm", ".xlsb", ".ods", ".et", ".wps")


@dataclass
class Sheet:
    name: str
    grid: pl.DataFrame  # every column String; row i is sheet row i + 1


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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
    if suffix not in (".xlsx", ".csv"):
        raise InputError(f"{path}: not a workbook (.xlsx) or CSV file; export it as .xlsx or .csv")
    if suffix == ".xlsx":
        with path.open("rb") as handle:
            head = handle.read(8)
        if head == OLE_MAGIC:
            raise InputError(f"{path}: is password-protected (encrypted) or an old .xls renamed to .xlsx; open it "
                             "in Excel, remove the password (文件 → 信息 → 保护工作簿) and save it as .xlsx")


def read_sheets(path: Path, only: list[str] | None = None) -> list[Sheet]:
    """The sheets of a workbook (or the one 'sheet' of a CSV) as grids of text."""
    check_readable(path)
    if path.suffix.lower() == ".csv":
        return [Sheet(path.stem, _read_csv(path))]
    import fastexcel

    try:
        reader = fastexcel.read_excel(str(path))
        names = reader.sheet_names
    except Exception as exc:  # calamine reports damaged files with varied exception types
        raise InputError(f"{path}: cannot be read as an .xlsx workbook ({type(exc).__name__}); it may be damaged "
                         "or not a workbook — open it in Excel and save it again as .xlsx") from None
    if only:
        if missing := [name for name in only if name not in names]:
            raise InputError(f"{path}: sheet(s) {', '.join(missing)} named in the profile are not in the workbook "
                             f"(it has {', '.join(names)}); fix sheets: in the profile")
        names = [name for name in names if name in only]
    sheets = []
    for name in names:
        try:
            sheet = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
            grid = sheet.to_polars()
        except Exception as exc:
            raise InputError(f"{path}, sheet {name}: cannot be read ({type(exc).__name__}: {exc}); open the "
                             "workbook in Excel and save it again as .xlsx") from None
        sheets.append(Sheet(name, grid.rename({c: f"c{i}" for i, c in enumerate(grid.columns)})))
    return sheets


def _read_csv(path: Path) -> pl.DataFrame:
    data = path.read_bytes()
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
