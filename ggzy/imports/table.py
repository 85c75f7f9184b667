"""The tabular importer: .xlsx (read in bulk by calamine through fastexcel) and .csv (UTF-8 or GBK).

A sheet holds a header row (found among the first rows by its known column names) and one record per
row below it. Every cell is read as text, so amounts never pass through a float of ours.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ggzy.errors import InputError
from ggzy.imports.base import ParsedRow, Profile
from ggzy.imports.normalize import MONEY_COLUMNS, HeaderCell, classify, parse_date, parse_money, read_header
from ggzy.money import MoneyError
from ggzy.vocab import Vocabulary, normalise_label, vocabulary

HEADER_SCAN_ROWS = 15
KEY_FIELDS = {"project_code", "section_code", "deal", "name"}
TEXT_FIELDS = ("project_code", "section_code", "name", "region", "method", "winner")


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
    if suffix in (".xls", ".xlsm", ".xlsb", ".ods", ".et"):
        raise InputError(f"{path}: {suffix} files are not read; save the workbook as .xlsx (Excel: 另存为 → "
                         "Excel 工作簿 .xlsx) and import that")
    if suffix not in (".xlsx", ".csv"):
        raise InputError(f"{path}: not a workbook (.xlsx) or CSV file; export it as .xlsx or .csv")


def read_sheets(path: Path) -> list[tuple[str, list[list[str | None]]]]:
    """All sheets of a workbook or CSV as rows of cell text. Raises InputError for unreadable files."""
    check_readable(path)
    if path.suffix.lower() == ".csv":
        return [(path.stem, _read_csv(path))]
    import fastexcel

    try:
        reader = fastexcel.read_excel(str(path))
        sheets = []
        for name in reader.sheet_names:
            frame = reader.load_sheet(name, header_row=None, dtypes="string").to_polars()
            sheets.append((name, [list(row) for row in frame.iter_rows()]))
    except Exception as exc:  # calamine reports damaged/encrypted files with varied exception types
        raise InputError(f"{path}: cannot be read as an .xlsx workbook ({type(exc).__name__}); "
                         "it may be damaged, password-protected or not a workbook — open it in Excel "
                         "and save it again as .xlsx without a password") from None
    return sheets


def _read_csv(path: Path) -> list[list[str | None]]:
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
    return [[cell if cell != "" else None for cell in row] for row in csv.reader(io.StringIO(text))]


def _is_blank(row: list[str | None]) -> bool:
    return all(cell is None or not str(cell).strip() for cell in row)


def find_header(rows: list[list[str | None]], profile: Profile) -> tuple[int, list[HeaderCell]] | None:
    """Index and cells of the header row: the first row naming at least two known fields, one a key."""
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        cells = [read_header(c, profile.columns) for c in row]
        fields = {c.field for c in cells if c.field}
        if len(fields) >= 2 and fields & KEY_FIELDS:
            return index, cells
    return None


class TableImporter:
    """Reads one header row per sheet; the clean monthly layout."""

    name = "table"

    def __init__(self, vocab: Vocabulary | None = None) -> None:
        self.vocab = vocab or vocabulary()

    def identify(self, path: Path) -> bool:
        return path.suffix.lower() in (".xlsx", ".csv")

    def extract(self, path: Path, profile: Profile) -> Iterator[ParsedRow]:
        sheets = read_sheets(path)
        if profile.sheets:
            missing = set(profile.sheets) - {name for name, _ in sheets}
            if missing:
                raise InputError(f"{path}: sheet(s) {', '.join(sorted(missing))} named in the profile "
                                 "are not in the workbook")
            sheets = [(n, r) for n, r in sheets if n in profile.sheets]
        fixed_category = self._profile_category(profile)
        for sheet, rows in sheets:
            if all(_is_blank(r) for r in rows):
                continue
            found = find_header(rows, profile)
            if found is None:
                raise InputError(f"{path}, sheet {sheet}: no header row found in the first {HEADER_SCAN_ROWS} "
                                 "rows (expected columns such as 项目编号, 成交金额(元)); add the header or "
                                 "give --profile with columns:")
            header_index, header = found
            self._check_units(path, sheet, header, profile)
            for offset, row in enumerate(rows[header_index + 1:], start=header_index + 2):
                if _is_blank(row):
                    continue
                yield self._parse(sheet, offset, header, row, profile, fixed_category)

    def _profile_category(self, profile: Profile) -> str | None:
        if profile.category is None:
            return None
        category = self.vocab.category(profile.category)
        if category is None:
            raise InputError(f"{profile.source}: unknown category {profile.category!r}; "
                             f"use one of {', '.join(self.vocab.category_labels.values())}")
        return category

    @staticmethod
    def _check_units(path: Path, sheet: str, header: list[HeaderCell], profile: Profile) -> None:
        for cell in header:
            if cell.field in MONEY_COLUMNS and cell.unit is None and profile.unit is None:
                raise InputError(f"{path}, sheet {sheet}: column {cell.text!r} has no money unit; write it "
                                 f"as {cell.text}(元) or (万元), or give --profile with unit:")

    def _parse(self, sheet: str, row_number: int, header: list[HeaderCell], row: list[str | None],
               profile: Profile, fixed_category: str | None) -> ParsedRow:
        raw: dict[str, str | None] = {}
        cells: dict[str, str] = {}
        units: dict[str, str] = {}
        for cell, value in zip(header, row, strict=False):
            text = None if value is None else str(value)
            raw[cell.text or f"column {len(raw) + 1}"] = text
            if cell.field and text is not None and text.strip() and cell.field not in cells:
                cells[cell.field] = text.strip()
                units[cell.field] = cell.unit or profile.unit or "元"
        parsed = ParsedRow(sheet, row_number, raw)
        record, reasons = build_record(cells, units, sheet, self.vocab, fixed_category)
        parsed.reasons = reasons
        parsed.record = None if reasons else record
        return parsed


def build_record(cells: dict[str, str], units: dict[str, str], sheet: str, vocab: Vocabulary,
                 fixed_category: str | None) -> tuple[dict[str, Any], list[str]]:
    """Field texts → a ledger record, or the reasons it cannot be one."""
    category, subcategory, reasons = classify(cells, sheet, vocab, fixed_category)
    record: dict[str, Any] = {"category": category, "subcategory": subcategory}
    for name in TEXT_FIELDS:
        record[name] = normalise_label(cells[name]) if name in ("project_code", "section_code") and \
            name in cells else cells.get(name)
    record["section_code"] = record["section_code"] or ""
    if not record["project_code"]:
        if record["section_code"]:  # a section code alone identifies the award (标段(包)编号 layouts)
            record["project_code"] = record["section_code"]
        else:
            reasons.append("missing project code (项目编号): every record needs one")
    for name, column in MONEY_COLUMNS.items():
        record[column] = None
        if name in cells:
            try:
                record[column] = parse_money(cells[name], units[name])
            except MoneyError as exc:
                reasons.append(f"{name}: {exc}")
    record["status"] = None
    if status_text := cells.get("status"):
        record["status"] = vocab.status(status_text)
        if record["status"] is None:
            reasons.append(f"unknown status {status_text!r}: use 成交, 流标/流拍, 终止 or 中止/延期")
    elif record["deal_fen"] is not None:
        record["status"] = "deal"
    elif "deal" not in cells:
        reasons.append("no status and no deal amount: fill 交易状态 or the deal amount")
    if record["status"] == "deal" and "deal" not in cells:
        reasons.append("status is 成交 but the deal amount (成交金额) is empty")
    record["trade_date"] = None
    if date_text := cells.get("trade_date"):
        try:
            record["trade_date"] = parse_date(date_text)
        except ValueError as exc:
            reasons.append(str(exc))
    else:
        reasons.append("missing trade date (成交日期/开标日期): the period comes from it")
    if isinstance(record["trade_date"], dt.date):
        record["period"] = record["trade_date"].strftime("%Y-%m")
    return record, reasons
