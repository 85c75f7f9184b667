"""One importer interface (identify / extract, as in beangulp) and what it yields.

An importer turns a file into one ``SheetExtract`` per sheet: the rows that became records (a polars
frame, so a 200,000-row sheet is never 200,000 Python objects) and the rows that could not (``HeldRow``,
with their raw cells and reasons). Every non-blank source row that is not a title, header, total or note
ends up in exactly one of the two. Layout differences belong in a declarative ``Profile``, not in code.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Protocol

import yaml
from ggzy.errors import InputError
from ggzy.ledger.staging import SheetExtract
from ggzy.money import MoneyError, canonical_unit
from ggzy.vocab import user_dirs, user_place

PROFILE_KEYS = ("name", "unit", "category", "columns", "sheets", "header_row")
#: what a profile's columns: may map a header to: the record's fields, and the columns read to fill or check them
COLUMN_FIELDS = ("category", "subcategory", "project_code", "section_code", "name", "region", "status", "method",
                 "budget", "control_price", "reserve", "deal", "winner", "bidders", "trade_date", "location",
                 "mineral", "remark", "savings", "savings_rate", "premium", "premium_rate",
                 "ignore")  # ignore: a column to leave out, e.g. the one of two amount columns that does not hold it


@dataclass
class Profile:
    """How to read one layout. Everything is optional; the defaults read the common layouts."""

    name: str = "auto"
    unit: str | None = None  # money unit for amount columns whose header and sheet name none
    category: str | None = None  # for workbooks without a category column, sheet name or code
    columns: dict[str, str] = field(default_factory=dict)  # extra header text → field
    sheets: list[str] | None = None  # sheets to read (default: all)
    header_row: int | None = None  # 1-based row of the header, when it cannot be found by its names
    source: str = ""

    def fingerprint(self) -> str:
        """SHA-256 of the settings that change how a file is read (those not at their default; name and path
        left out): a batch is a file read under one profile, and the same file read under other settings is
        read again (DESIGN.md "Ledger rules")."""
        default = asdict(Profile())
        settings = {k: v for k, v in asdict(self).items() if k not in ("name", "source") and v != default[k]}
        return hashlib.sha256(json.dumps(settings, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    @classmethod
    def load(cls, name_or_path: str | None) -> Profile:
        """A profile from a YAML file or a built-in profile's name; None → the automatic profile."""
        if not name_or_path:
            return cls()
        path = Path(name_or_path)
        if not path.is_file():
            user = [d / "profiles" / f"{name_or_path}.yaml" for d in user_dirs()]
            builtin = resources.files("ggzy").joinpath(f"data/profiles/{name_or_path}.yaml")
            if found := next((u for u in user if u.is_file()), None):
                path = found
            elif builtin.is_file():
                path = Path(str(builtin))
            else:
                names = sorted({p.name.removesuffix(".yaml") for p in
                                [*resources.files("ggzy").joinpath("data/profiles").iterdir(),
                                 *(f for d in user_dirs() if (d / "profiles").is_dir()
                                   for f in (d / "profiles").iterdir())]
                                if p.name.endswith(".yaml")})
                raise InputError(f"profile {name_or_path} not found: give the path of a profile .yaml file, "
                                 f"a built-in profile ({', '.join(names)}) or one in {user_place('profiles/')}")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", -1) + 1
            raise InputError(f"{path}:{line}: profile is not valid YAML; check indentation and colons") from None
        if not isinstance(data, dict):
            raise InputError(f"{path}:1: a profile is a mapping of settings (unit:, category:, columns:)")
        if unknown := set(data) - set(PROFILE_KEYS):
            raise InputError(f"{path}: unknown profile setting(s) {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(PROFILE_KEYS)}")
        unit = data.get("unit")
        if unit is not None:
            try:
                unit = canonical_unit(str(unit))
            except MoneyError as exc:
                raise InputError(f"{path}: {exc}") from None
        header_row = data.get("header_row")
        if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
            raise InputError(f"{path}: header_row must be a row number such as 3, not {header_row!r}")
        columns = data.get("columns") or {}
        if not isinstance(columns, dict):
            raise InputError(f"{path}: columns: maps header text to a field, e.g. 公告发布日期: trade_date")
        if unknown_fields := sorted({str(v) for v in columns.values()} - set(COLUMN_FIELDS)):
            raise InputError(f"{path}: columns: maps to unknown field(s) {', '.join(unknown_fields)}; "
                             f"known: {', '.join(COLUMN_FIELDS)}")
        sheets = data.get("sheets")
        return cls(name=str(data.get("name") or path.stem), unit=unit, category=data.get("category"),
                   columns={str(k): str(v) for k, v in columns.items()},
                   sheets=[str(s) for s in sheets] if sheets else None, header_row=header_row, source=str(path))


class Importer(Protocol):
    """identify: can this importer read the file? extract: every sheet, parsed."""

    name: str

    def identify(self, path: Path) -> bool: ...

    def extract(self, path: Path, profile: Profile) -> Iterator[SheetExtract]: ...
