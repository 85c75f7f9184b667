"""Saying what the importer made of a workbook's headers: ``import --explain``, the one-line notice of
unused columns, the error for a sheet it cannot read alone, and ``profile suggest``.

All of them print the same ``Decision`` objects (``imports.headers``); nothing here decides anything.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ggzy.errors import InputError
from ggzy.imports.base import Profile
from ggzy.imports.headers import Decision, SheetHeader, resolve_row, yaml_key
from ggzy.imports.layout import HEADER_SCAN_ROWS, Layout
from ggzy.imports.sheets import Sheet
from ggzy.vocab import normalise_label, vocabulary

FIELD_WORDS = {"project_code": "项目编号 (project code)", "section_code": "标段编号 (section code)",
               "trade_date": "成交日期 (trade date)", "deal": "成交金额 or 交易状态 (deal amount or status)"}


@dataclass
class SheetReading:
    """What was made of one sheet's header: the decisions, the money units and where each came from."""

    file: str
    sheet: str
    header: SheetHeader | None  # None: no header row found
    units: dict[int, tuple[str, str]] = field(default_factory=dict)  # column index → (unit, origin)
    best_guess: list[Decision] = field(default_factory=list)  # with no header: the likeliest row, decided

    def as_json(self) -> dict[str, object]:
        header = self.header
        decisions = header.decisions if header else self.best_guess
        return {"file": self.file, "sheet": self.sheet, "header_row": header.header_row if header else None,
                "title": header.title if header else None,
                "category_context": header.context.origin if header and header.context.category else None,
                "missing": header.missing() if header else ["header"],
                **({"date_line": {"label": header.date_line[0], "date": header.date_line[1]}}
                   if header and header.date_line else {}),
                "columns": [{**d.as_json(), "unit": (self.units.get(d.index) or (d.unit, d.unit_origin))[0],
                             "unit_origin": (self.units.get(d.index) or (d.unit, d.unit_origin))[1]}
                            for d in decisions if d.text]}


def money_units(layout: Layout, profile: Profile) -> dict[int, tuple[str, str]]:
    """The unit of each money column and where it came from (``Layout.unit_and_origin``)."""
    units = {}
    for column in layout.columns:
        if column.field in ("budget", "control_price", "reserve", "deal", "savings", "premium"):
            unit, origin = layout.unit_and_origin(column, profile)
            if unit is not None:
                units[column.index] = (unit, origin or "")
    return units


def best_header_row(sheet: Sheet, profile: Profile) -> list[Decision]:
    """With no header found: the first rows' line that holds the most texts, decided, to say what was seen."""
    rows = sheet.grid.head(HEADER_SCAN_ROWS).rows()
    if not rows:
        return []
    best = max(rows, key=lambda r: sum(1 for c in r if c is not None and str(c).strip()))
    return resolve_row(list(best), columns=profile.columns)


def no_header_message(path: Path, sheet: Sheet, profile: Profile) -> str:
    where = f"row {profile.header_row}" if profile.header_row else f"the first {HEADER_SCAN_ROWS} rows"
    seen = [d for d in best_header_row(sheet, profile) if d.text]
    lines = _lines(seen)
    understood = ", ".join(d.text for d in seen if d.used) or "none"
    message = (f"{path}, sheet {sheet.name}: no header row found in {where}: a header names at least two fields, one "
               f"of them a code, a name or a deal amount (understood here: {understood}; not understood: "
               f"{_not_understood(seen)})")
    if lines:
        return message + "; give --profile with these lines (check each), or run `ggzy profile suggest`:\n" + \
            "columns:\n" + "\n".join(lines)
    return message + "; add the header, or give --profile with header_row: and columns: (see `ggzy profile suggest`)"


def missing_fields_message(path: Path, header: SheetHeader, missing: list[str]) -> str:
    needs = " and ".join(FIELD_WORDS[m] for m in missing)
    lines = header.profile_lines(missing)
    message = (f"{path}, sheet {header.sheet}: no column holds the {needs} (header row {header.header_row}); "
               f"headers not understood: {_not_understood(header.decisions)}")
    if lines:
        return (message + "; give --profile with these lines (check each), or run `ggzy profile suggest "
                f"{path.name}`:\ncolumns:\n" + "\n".join(lines))
    return message + "; add that column, or map one with a profile's columns: (`ggzy profile suggest` writes one)"


def _not_understood(decisions: list[Decision]) -> str:
    missed = [d for d in decisions if not d.used and d.text and d.status in ("low", "tie", "unused")]
    if not missed:
        return "none"
    return ", ".join(f"{d.text} ({d.reason})" for d in missed)


def _lines(decisions: list[Decision]) -> list[str]:
    return [f"  {normalise_label(d.text)}: {d.candidate}" for d in decisions if not d.used and d.candidate]


def shown(text: str) -> str:
    """A header on one line: a line break typed in the cell ('出让起始价\\n(万元)') is shown as a space."""
    return re.sub(r"\s*\n\s*", " ", text).strip()


def _not_used(decision: Decision) -> str:
    if decision.compare:
        return f"compared with {decision.compare}"
    return "could be " + decision.candidate if decision.candidate else "not used"


def unused_data_headers(reading: SheetReading) -> list[Decision]:
    """Headers left unused that look like money, a date or a code: a plain import names them."""
    return [] if reading.header is None else [d for d in reading.header.decisions if d.looks_like_data]


def explain_lines(reading: SheetReading, lang: str = "zh") -> list[str]:
    """The text of `ggzy import --explain` for one sheet; a category by its Chinese label (土地使用权), or with
    ``lang='en'`` by its canonical name (land)."""
    header = reading.header
    if header is None:
        lines = [f"{reading.file}, sheet {reading.sheet}: no header row found; the likeliest row reads:"]
        decisions = reading.best_guess
    else:
        where = f"header row {header.header_row}" + (f"–{header.data_row - 1}" if header.data_row - 1 >
                                                       header.header_row else "")
        category = header.context.category
        if category and lang == "zh":
            category = vocabulary().label(category)
        context = f"; category {category} from the {header.context.origin}" if category else ""
        lines = [f"{reading.file}, sheet {reading.sheet}: {where}, records from row {header.data_row}{context}"]
        decisions = header.decisions
    for decision in decisions:
        if not decision.text:
            continue
        target = decision.field or ("not used" + (f" ({_not_used(decision)})" if decision.candidate else ""))
        unit = reading.units.get(decision.index)
        unit_text = f"  [{unit[0]}, from the {unit[1]}]" if unit else ""
        lines.append(f"  {decision.index + 1:>2} {shown(decision.text)} → {target}{unit_text}  — "
                     f"{shown(decision.reason)} [{decision.status}" + (f" {decision.score:.2f}]" if decision.score
                                                                        else "]"))
    if header is not None and header.date_line is not None:
        lines.append(f"  trade date of every row: {header.date_line[1]}, from the line above the header "
                     f"({header.date_line[0]}：{header.date_line[1]})")
    if header is not None and (missing := header.missing()):
        lines.append(f"  missing: {', '.join(FIELD_WORDS[m] for m in missing)}")
    return lines


def suggest_profile(path: Path, readings: list[SheetReading], profile: Profile) -> str:
    """A starting profile: every decision as a `columns:` line, with a comment saying why; guesses marked."""
    if not readings:  # every sheet blank or prose: a profile of nothing would read nothing either
        raise InputError(f"{path}: no sheet holds a table (each is empty or only text), so there is no header to "
                         "suggest a profile for; check that this is the file with the month's records")
    out = [f"# Profile suggested by `ggzy profile suggest` for {path.name} on {dt.date.today().isoformat()}.",
           "# Lines marked GUESS were not used by the importer on its own: check them before importing.",
           "# Headers read from the synonym files need no line; they are listed as comments.",
           f"name: {normalise_label(path.stem)}"]
    units = {u for r in readings for u, _origin in r.units.values()}
    origins = sorted({o for r in readings for _u, o in r.units.values()})
    unitless = [d.text for r in readings if r.header for d in r.header.decisions
                if d.field in ("budget", "control_price", "reserve", "deal", "savings", "premium")
                and d.index not in r.units]
    if profile.unit:
        out.append(f"unit: {profile.unit}")
    elif unitless:  # never an active guess: 万元 read as 元 is a factor of 10,000
        named = ", ".join(shown(u) for u in unitless)
        out.append(f"# unit: {next(iter(units)) if len(units) == 1 else '元'}   # UNIT NEEDED: {named} give no unit"
                   + (f"; the other amounts are in {next(iter(units))}" if len(units) == 1 else "")
                   + ". Remove the first # and write the unit the amounts are in (元, 万元 or 亿元): "
                   "nothing imports until you do")
    elif len(units) == 1:
        out.append(f"# unit: {units.pop()}   (already read from the {', '.join(origins)})")
    else:
        out.append("# unit: 万元   (give the money unit if no header or unit line says it)")
    categories = {r.header.context.category for r in readings if r.header and r.header.context.category}
    if len(categories) == 1:
        reading = next(r for r in readings if r.header and r.header.context.category)
        assert reading.header is not None
        out.append(f"# category: {categories.pop()}   (already read from the {reading.header.context.origin})")
    header_rows = {r.header.header_row for r in readings if r.header}
    if len(header_rows) == 1:
        out.append(f"# header_row: {header_rows.pop()}   (found by its names)")
    out.append("columns:")
    seen: set[str] = set()
    for reading in readings:
        out.append(f"  # sheet {reading.sheet}")
        decisions = reading.header.decisions if reading.header else reading.best_guess
        for decision in decisions:
            key = normalise_label(decision.text)
            if not decision.text or key in seen or decision.status == "unit":
                continue
            seen.add(key)
            shown_key = yaml_key(decision.text)
            if decision.status in ("synonym",):
                out.append(f"  # {shown_key}: {decision.field}   ({shown(decision.reason)})")
            elif decision.status == "compared":
                out.append(f"  # {shown_key}: not used   ({shown(decision.reason)}; map it to {decision.compare} "
                           "only if it, not the other column, holds the amount)")
            elif decision.used:
                out.append(f"  {shown_key}: {decision.field}   # inferred, score {decision.score:.2f}: "
                           f"{decision.reason}")
            elif decision.candidate:
                out.append(f"  {shown_key}: {decision.candidate}   # GUESS, score {decision.score:.2f}: "
                           f"{decision.reason}")
            else:
                out.append(f"  # {shown_key}: not used   ({decision.reason})")
    for reading in readings:
        for money, held in (reading.header.money_ties().items() if reading.header else ()):
            out.append(f"  # sheet {reading.sheet}: {', '.join(shown(d.text) for d in held)} hold {money} (a tie): "
                       f"a line such as  {yaml_key(held[-1].text)}: ignore  leaves one out")
    if readings and not unitless and all(r.header is not None and not r.header.missing() for r in readings):
        out.append("# every sheet already reads with no profile: import it without --profile.")
    return "\n".join(out) + "\n"
