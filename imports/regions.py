"""Region names that differ only by a suffix (北岭 / 北岭县): reported at import as a likely variant, with
the line of the user's ``regions.yaml`` that would make them one. Nothing is changed without that line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ggzy.ledger.models import RecordTotal
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import col

_SUFFIX = re.compile(r"(?:自治县|自治旗|新区|特区|林区|县|区|市|旗|镇|乡)$")


@dataclass(frozen=True)
class RegionVariant:
    written: str  # as this file writes it
    other: str  # the name it probably means (in the ledger, or elsewhere in the file)
    where: str  # 'file:sheet:row' of the first row writing it

    def as_json(self) -> dict[str, str]:
        return {"written": self.written, "other": self.other, "where": self.where}


def stem(name: str) -> str:
    """'北岭县' → '北岭'; a name that is only a suffix plus one character keeps its suffix ('东区')."""
    bare = _SUFFIX.sub("", name.strip())
    return bare if len(bare) >= 2 else name.strip()


def region_variants(engine: Engine, sheets: list[Any]) -> list[RegionVariant]:
    """Pairs of names with the same stem: one from these sheets, the other from them or from the ledger."""
    seen: dict[str, str] = {}  # name → where first written in these files
    for sheet in sheets:
        if sheet.records.height == 0 or "region" not in sheet.records.columns:
            continue
        firsts = (sheet.records.filter(sheet.records["region"].is_not_null())
                  .group_by("region", maintain_order=True).first().select("region", "source_row"))
        file_name = sheet.reading.file if sheet.reading is not None else ""
        for region, row in firsts.iter_rows():
            seen.setdefault(str(region), f"{file_name}:{sheet.sheet}:{row}")
    if not seen:
        return []
    with engine.connect() as conn:
        ledger = {r for (r,) in conn.execute(select(col(RecordTotal.region)).distinct()) if r}
    by_stem: dict[str, set[str]] = {}
    for name in {*seen, *ledger}:
        by_stem.setdefault(stem(name), set()).add(name)
    variants = []
    for names in by_stem.values():
        if len(names) < 2:
            continue
        longest = max(names, key=lambda n: (n in ledger, len(n)))  # the ledger's name, else the full one
        for name in sorted(names - {longest}):
            if name in seen:
                variants.append(RegionVariant(name, longest, seen[name]))
            elif longest in seen:
                variants.append(RegionVariant(longest, name, seen[longest]))
    return variants
