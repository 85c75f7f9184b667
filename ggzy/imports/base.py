"""One importer interface (identify / extract, as in beangulp) and what it yields.

An importer turns a file into ``ParsedRow``s: every non-blank source row becomes exactly one, either
with a ``record`` (ready to post) or with ``reasons`` (to quarantine). Layout differences belong in a
declarative ``Profile``, not in new code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from ggzy.errors import InputError
from ggzy.money import MoneyError, canonical_unit


@dataclass
class ParsedRow:
    """One source row and what became of it."""

    sheet: str
    row: int  # 1-based row number as the spreadsheet shows it
    raw: dict[str, str | None]  # header text → cell text, exactly as read
    record: dict[str, Any] | None = None
    reasons: list[str] = field(default_factory=list)


@dataclass
class Profile:
    """How to read one layout. Everything is optional; the defaults read a clean workbook."""

    name: str = "auto"
    unit: str | None = None  # money unit for amount columns whose header has none
    category: str | None = None  # for workbooks without a category column
    columns: dict[str, str] = field(default_factory=dict)  # extra header text → field
    sheets: list[str] | None = None  # sheets to read (default: all)
    source: str = ""

    @classmethod
    def load(cls, name_or_path: str | None) -> Profile:
        """A profile from a YAML file; None → the automatic profile."""
        if not name_or_path:
            return cls()
        path = Path(name_or_path)
        if not path.is_file():
            raise InputError(f"profile {name_or_path} not found: give the path of a profile .yaml file")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", -1) + 1
            raise InputError(f"{path}:{line}: profile is not valid YAML; check indentation and colons") from None
        if not isinstance(data, dict):
            raise InputError(f"{path}:1: a profile is a mapping of settings (unit:, category:, columns:)")
        unknown = set(data) - {"name", "unit", "category", "columns", "sheets"}
        if unknown:
            raise InputError(f"{path}: unknown profile setting(s) {', '.join(sorted(unknown))}; "
                             "known: name, unit, category, columns, sheets")
        unit = data.get("unit")
        if unit is not None:
            try:
                unit = canonical_unit(str(unit))
            except MoneyError as exc:
                raise InputError(f"{path}: {exc}") from None
        return cls(name=str(data.get("name") or path.stem), unit=unit, category=data.get("category"),
                   columns={str(k): str(v) for k, v in (data.get("columns") or {}).items()},
                   sheets=data.get("sheets"), source=str(path))


class Importer(Protocol):
    """identify: can this importer read the file? extract: every source row, parsed."""

    name: str

    def identify(self, path: Path) -> bool: ...

    def extract(self, path: Path, profile: Profile) -> Iterator[ParsedRow]: ...
