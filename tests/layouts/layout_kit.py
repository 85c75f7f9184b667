"""What every corpus layout is made of, and how its file is written (deterministic bytes): used by
make_inputs.py and more_layouts.py."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
FIXED_TIME = (2024, 12, 1, 0, 0, 0)


@dataclass
class Layout:
    name: str
    source: str
    file: str  # the file's name: a file name can say the category (政府采购2024年9月.csv)
    sheet: str
    header: list[list[object]]  # one or two header rows
    rows: list[list[object]]
    preamble: list[list[object]] = field(default_factory=list)  # title, unit line
    tail: list[list[object]] = field(default_factory=list)  # 合计, notes
    merges: list[str] = field(default_factory=list)  # A1-style ranges
    encoding: str = "utf-8-sig"  # CSV only
    expect: dict[str, object] = field(default_factory=dict)


def _save(workbook: Workbook, path: Path) -> None:
    """Save with fixed timestamps inside the zip, so the bytes do not change between runs."""
    temporary = path.with_suffix(".tmp")
    workbook.save(temporary)
    with zipfile.ZipFile(temporary) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2024-12-01T00:00:00Z", data)
            target.writestr(info, data)
    temporary.unlink()


def write(layout: Layout, folder: Path | None = None) -> Path:
    folder = folder or HERE / layout.name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / layout.file
    lines = [*layout.preamble, *layout.header, *layout.rows, *layout.tail]
    if path.suffix == ".csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows([["" if c is None else c for c in r] for r in lines])
        path.write_bytes(buffer.getvalue().encode(layout.encoding))
        return path
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = layout.sheet
    for line in lines:
        sheet.append(line)
    for cells in layout.merges:
        sheet.merge_cells(cells)
    _save(workbook, path)
    return path


def fen(*amounts: str, unit: str = "万元") -> int:
    """The sum of amounts written in ``unit``, in fen, exactly (for ``expect``)."""
    from decimal import Decimal

    scale = {"元": 100, "万元": 1_000_000, "亿元": 10_000_000_000}[unit]
    return int(sum(Decimal(a) * scale for a in amounts))
