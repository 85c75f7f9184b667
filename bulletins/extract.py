"""Reading published figures out of a bulletin's text: `ggzy bulletin extract`.

The phrasings are data (``data/bulletin.yaml``): which words name a scope (工程建设项目 → 工程建设), which
name a measure (节资率 → savings_rate), which periods look how. The reader walks the text sentence by
sentence: a scope phrase sets what the following numbers are about, the words before each number say
which measure it is, its unit says whether it is money or a count. Attachment tables written one cell
per line (``cell |``) are read as rows. What it cannot place with confidence it writes commented out,
with a ``review:`` note — never as a guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from ggzy.errors import InputError
from ggzy.vocab import vocabulary

_CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
                   "十": 10}
_SCALE_UNIT = {"亿": "亿元", "万": "万元", None: "元"}


@dataclass(frozen=True)
class Phrasebook:
    periods: list[tuple[re.Pattern[str], str]]
    scopes: list[tuple[str, dict[str, Any]]]  # longest first
    measures: list[tuple[str, str]]  # longest first
    count_words: tuple[str, ...]
    nothing_traded: tuple[str, ...]
    ignore: tuple[str, ...]
    continuations: tuple[str, ...]  # a sentence starting so goes on about the figure before it ('涉及…')

    @property
    def number(self) -> re.Pattern[str]:
        """A number with its unit: money (亿元, 万元, 元; 余 marks a truncated value), a count word, a %."""
        words = "|".join(re.escape(w) for w in self.count_words)
        return re.compile(rf"(?P<num>\d+(?:\.\d+)?)\s*(?P<scale>亿|万)?(?P<plus>余)?(?P<unit>元|{words})|"
                          r"(?P<pnum>\d+(?:\.\d+)?)\s*%")

    def scope_in(self, text: str) -> tuple[str, dict[str, Any]] | None:
        """The longest scope phrase in ``text`` (the last one when several: the nearest to what follows)."""
        best: tuple[int, int, str, dict[str, Any]] | None = None
        for phrase, scope in self.scopes:
            at = text.rfind(phrase)
            if at >= 0 and (best is None or (at + len(phrase), len(phrase)) > (best[0] + len(best[2]), best[1])):
                best = (at, len(phrase), phrase, scope)
        return (best[2], best[3]) if best else None

    def measure_in(self, text: str) -> str | None:
        """The measure named by the words right before a number (the phrase ending nearest to it)."""
        best: tuple[int, int, str] | None = None
        for phrase, measure in self.measures:
            at = text.rfind(phrase)
            if at >= 0 and (best is None or (at + len(phrase), len(phrase)) > (best[0], best[1])):
                best = (at + len(phrase), len(phrase), measure)
        return best[2] if best else None


@cache
def phrasebook(path: str | None = None) -> Phrasebook:
    source = Path(path) if path else Path(str(resources.files("ggzy").joinpath("data/bulletin.yaml")))
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        scopes = sorted(((str(k), dict(v or {})) for k, v in data["scopes"].items()), key=lambda kv: -len(kv[0]))
        measures = sorted(((str(k), str(v)) for k, v in data["measures"].items()), key=lambda kv: -len(kv[0]))
        periods = [(re.compile(p["pattern"]), p["period"]) for p in data["periods"]]
        return Phrasebook(periods, scopes, measures, tuple(data["count_words"]), tuple(data["nothing_traded"]),
                          tuple(data["ignore"]), tuple(data.get("continuations") or ()))
    except OSError as exc:
        raise InputError(f"phrasebook {source}: cannot be read ({exc.strerror}); check the path") from None
    except (yaml.YAMLError, KeyError, TypeError, AttributeError, ValueError, re.error) as exc:
        what = f"missing {exc}" if isinstance(exc, KeyError) else type(exc).__name__
        raise InputError(f"phrasebook {source}: not a valid phrasebook ({what}); start from a copy of "
                         "ggzy/data/bulletin.yaml (periods, scopes, measures, count_words, nothing_traded, "
                         "ignore)") from None


@dataclass
class Extracted:
    """One figure as it will be written: scope, values as written, the sentence it came from."""

    scope: dict[str, Any]
    values: dict[str, str] = field(default_factory=dict)
    unit: str | None = None
    source: str = ""
    review: str | None = None  # why a person must look at it (then it is written commented out)
    exclude: dict[str, Any] | None = None
    part_of_total: bool = False  # a component listed under a total (其中…) or a row of a table with a 合计
    block: int = 0  # the paragraph or table it was read from: a total's components share its block

    def count(self) -> int | None:
        return int(self.values["count"]) if "count" in self.values else None


def _chinese_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text and all(c in _CHINESE_DIGITS for c in text):
        if text == "十":
            return 10
        if text.startswith("十"):
            return 10 + _CHINESE_DIGITS[text[1]]
        if len(text) == 2 and text[1] == "十":
            return _CHINESE_DIGITS[text[0]] * 10
        return _CHINESE_DIGITS[text[0]] if len(text) == 1 else None
    return None


def find_period(lines: list[str], book: Phrasebook) -> str | None:
    """The bulletin's period from its first lines (title, date line), the most specific form first."""
    head = "\n".join(lines[:12])
    year = re.search(r"(\d{4})年", head)
    for pattern, template in book.periods:
        if match := pattern.search(head):
            found = {k: v for k, v in match.groupdict().items() if v}
            values: dict[str, Any] = {"y": found.get("y") or (year[1] if year else None)}
            if values["y"] is None:
                continue
            if "q" in found:
                values["q"] = _chinese_number(found["q"]) or found["q"]
            if "half" in found:
                values["half"] = "H1" if found["half"] == "上" else "H2"
            for key in ("m1", "m2"):
                if key in found:
                    values[key] = f"{int(found[key]):02d}"
            return template.format(**values)
    return None


def _sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"[。;；]", paragraph) if s.strip()]


def _value_text(match: re.Match[str]) -> tuple[str, str, str]:
    """(measure kind: money|count|rate, value text as written, unit)."""
    if match["pnum"]:
        return "rate", match["pnum"] + "%", "%"
    if match["unit"] == "元":
        return "money", match["num"] + ("+" if match["plus"] else ""), _SCALE_UNIT[match["scale"]]
    return "count", match["num"], match["unit"]


def read_text_figures(paragraphs: list[str], book: Phrasebook) -> list[Extracted]:
    """Figures from the running text: per sentence, a scope phrase then numbers with their measures."""
    figures: list[Extracted] = []
    number = book.number
    for block, paragraph in enumerate(paragraphs, start=1):
        scope: dict[str, Any] | None = None  # carried to the next sentence of the paragraph ("涉及预算金额…")
        current: Extracted | None = None
        in_components = False  # after 其中, the rest of the paragraph lists parts of the total before it
        for sentence in _sentences(paragraph):
            # '1,234.56万元': an ASCII comma inside a number is a thousands separator, not a clause break
            text = unicodedata.normalize("NFKC", re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", sentence)).replace(" ", "")
            if any(word in text for word in book.ignore):
                continue  # not about trading figures (受理, 办结, 场外交易 …)
            if not text.lstrip("(（一二三四五六七八九十)）、.0123456789").startswith(book.continuations):
                scope = current = None  # a new sentence speaks of its own subject unless it says it goes on
            elif current is not None and sentence.strip() not in current.source:
                current.source += "；" + sentence.strip()
            for clause in re.split(r"[,，]", text):
                if clause.startswith("其中"):
                    in_components = True
                found = book.scope_in(re.split(r"\d", clause, maxsplit=1)[0])
                if found is not None:
                    scope = found[1]
                    current = Extracted(dict(scope), source=sentence.strip(), part_of_total=in_components,
                                        block=block)
                    figures.append(current)
                    if any(word in clause for word in book.nothing_traded) and not number.search(clause):
                        current.values["count"] = "0"
                if scope is None or current is None:
                    continue
                label_start = 0
                for match in number.finditer(clause):
                    label = clause[label_start:match.start()]
                    label_start = match.end()
                    kind, value, unit = _value_text(match)
                    measure = book.measure_in(label)
                    if measure == "ignore":
                        continue
                    if measure is None:
                        measure = {"count": "count", "money": "amount", "rate": None}[kind]
                    if measure is None:
                        continue
                    if kind == "money":
                        if current.unit and current.unit != unit:  # one unit per figure: a new one
                            current = Extracted(dict(current.scope), source=sentence.strip(),
                                                part_of_total=current.part_of_total, block=block)
                            figures.append(current)
                        current.unit = unit
                    if measure in current.values:  # the same measure again: another figure of this scope
                        current = Extracted(dict(current.scope), source=sentence.strip(), block=block)
                        figures.append(current)
                        if kind == "money":
                            current.unit = unit
                    current.values[measure] = value
    return [f for f in figures if f.values]


def read_tables(lines: list[str], book: Phrasebook, regions: set[str]) -> list[Extracted]:
    """Attachment tables written one cell per line ('cell |'): a header, numbered rows, a 合计 row."""
    figures: list[Extracted] = []
    index = 0
    block = 100_000  # table blocks never meet paragraph blocks
    while index < len(lines):
        if not lines[index].rstrip().endswith("|"):
            index += 1
            continue
        cells: list[str] = []
        while index < len(lines) and lines[index].rstrip().endswith("|"):
            cells.append(unicodedata.normalize("NFKC", lines[index].rstrip()[:-1]).strip())
            index += 1
        block += 1
        figures += _table(cells, book, regions, block)
    return figures


def _table(cells: list[str], book: Phrasebook, regions: set[str], block: int) -> list[Extracted]:
    width = next((i for i, c in enumerate(cells) if c == "1"), 0)
    header = [c.replace(" ", "") for c in cells[:width]]
    roles: dict[str, int] = {}
    for position, name in enumerate(header):
        if "类型" in name or "项目名称" in name or "类别" in name:
            roles["scope"] = position
        elif ("数" in name and ("项目" in name or "宗" in name)) or name.endswith("(个)"):
            roles["count"] = position
        elif "金额" in name:
            roles["amount"] = position
        elif "备注" in name:
            roles["note"] = position
    if "scope" not in roles or not ({"count", "amount"} & set(roles)):
        return []  # not a table of trading figures
    unit_match = re.search(r"\((亿元|万元|元)\)", header[roles["amount"]]) if "amount" in roles else None
    unit = unit_match[1] if unit_match else "元"
    figures: list[Extracted] = []
    rows: list[Extracted] = []
    rest = cells[width:]
    while rest:
        if rest[0] in ("合计", "总计"):
            row, rest = ["", *rest[:width - 1]], rest[width - 1:]
            row[roles["scope"]] = "合计"
        else:
            row, rest = rest[:width], rest[width:]
        incomplete = len(row) < width  # the text ends inside a row
        row += [""] * (width - len(row))
        label = row[roles["scope"]]
        figure = Extracted({}, unit=unit, source=" | ".join(c for c in row if c), block=block)
        for measure in ("count", "amount"):
            if measure in roles and row[roles[measure]]:
                figure.values[measure] = row[roles[measure]]
        if incomplete:
            figure.review = "the table ends inside this row; check it against the bulletin"
        if label == "合计":
            figures.append(figure)
            for component in rows:
                component.part_of_total = True
            continue
        scope = _table_scope(label, book)
        if scope is None:
            figure.review = f"row {label!r}: its type is not in the bulletin phrasebook (data/bulletin.yaml)"
            figures.append(figure)
            continue
        figure.scope = scope
        rows.append(figure)
        figures.append(figure)
        if "note" in roles and row[roles["note"]]:
            figures += _remark(row[roles["note"]], figure, regions)
    return figures


def _table_scope(label: str, book: Phrasebook) -> dict[str, Any] | None:
    for phrase, scope in book.scopes:
        if phrase == label:
            return dict(scope)
    vocab = vocabulary()
    if category := vocab.category(label):
        return {"category": vocab.label(category)}
    if pair := vocab.subcategory(label):
        return {"category": vocab.label(pair[0]), "subcategory": pair[1]}
    return None


def _region(name: str, regions: set[str]) -> str | None:
    """A region as the ledger names it: exact, or the one ledger region that starts with it (循化 → 循化县)."""
    if name in regions:
        return name
    matches = [r for r in regions if r.startswith(name)]
    return matches[0] if len(matches) == 1 else None


def _remark(note: str, row: Extracted, regions: set[str]) -> list[Extracted]:
    """A 备注 naming counties: '化隆县一宗、循化县两宗' → a count per county; '循化' → the row's county."""
    extra: list[Extracted] = []
    parts = [p for p in re.split(r"[、,，;；]", note) if p]
    counted = [re.fullmatch(r"(.+?)([一二两三四五六七八九十\d]+)[宗件个项笔]", p) for p in parts]
    if parts and all(counted):
        for match in counted:
            assert match is not None
            region = _region(match[1], regions)
            figure = Extracted({**row.scope, "region": region or match[1]},
                               {"count": str(_chinese_number(match[2]))}, source=f"备注: {note}")
            if region is None:
                figure.review = f"region {match[1]!r} is not a region of the ledger; check the name"
            extra.append(figure)
        return extra
    if len(parts) == 1:
        region = _region(parts[0], regions)
        if region is not None:
            row.scope["region"] = region
            row.source += f" (备注: {note})"
            return []
    row.review = f"备注 {note!r} was not understood; check whether it narrows the figure"
    return extra


def _covers(component: dict[str, Any], part: dict[str, Any]) -> bool:
    """Does a component's scope hold the part (政府采购 holds 集中采购; 分散采购 does not)?"""
    categories = component.get("category")
    categories = categories if isinstance(categories, list) else [categories]
    if part.get("category") not in categories:
        return False
    return "subcategory" not in component or component.get("subcategory") == part.get("subcategory")


def infer_exclusions(figures: list[Extracted]) -> None:
    """A total whose listed components already add up to it leaves out a part reported separately
    (Haidong: 533 = 217 + 308 + 7 + 1, and the 21 集中采购 are reported on their own)."""
    totals = [f for f in figures if not f.scope and f.count() is not None and not f.review]
    parts = [f for f in figures if f.scope.get("subcategory") and not f.part_of_total and f.count()]
    for total in totals:
        components = [f for f in figures if f.part_of_total and f.block == total.block and f.scope
                      and f.count() is not None]
        if not components or sum(c.count() or 0 for c in components) != total.count():
            if components:
                total.review = "its components do not add up to it; check what it includes"
            continue
        for part in parts:
            if any(c.scope.get("subcategory") == part.scope["subcategory"] for c in components):
                continue
            if not any(c.scope.get("category") == part.scope["category"] for c in components):
                continue
            total.exclude = {"subcategory": part.scope["subcategory"]}
            for component in components:
                if "subcategory" not in component.scope and _covers(component.scope, part.scope):
                    component.exclude = {"subcategory": part.scope["subcategory"]}


def extract(text: str, regions: set[str] | None = None,
            phrases: str | None = None) -> tuple[str | None, list[Extracted]]:
    """(period, figures) of a bulletin's text."""
    book = phrasebook(phrases)
    lines = [line.strip() for line in text.splitlines()]
    period = find_period(lines, book)
    prose = [line for line in lines if line and not line.endswith("|")]
    figures = read_text_figures(prose, book) + read_tables(lines, book, regions or set())
    infer_exclusions(figures)
    return period, figures


def read_bulletin(path: Path) -> str:
    if not path.is_file():
        raise InputError(f"{path}: file not found; give the bulletin's text file (.txt)")
    if path.suffix.lower() not in (".txt", ".md", ".text"):
        raise InputError(f"{path}: only text bulletins are read (.txt); copy the bulletin's text into a .txt file")
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path}: not UTF-8 or GBK text; save it as UTF-8")  # pragma: no cover


def to_yaml(path: Path, text: str, period: str | None, figures: list[Extracted]) -> str:
    """The published-figures file (DESIGN.md format), each figure under its source sentence."""
    title = next((line.strip() for line in text.splitlines() if line.strip()), path.stem)
    units = [f.unit for f in figures if f.unit]
    unit = max(set(units), key=units.count) if units else "亿元"
    out = [f"# Extracted by `ggzy bulletin extract` from {path.name}: check every figure against its sentence.",
           f"title: {_scalar(title)}", f"source: {_scalar(path.name)}"]
    out.append(f"period: {period}" if period else "# review: no period found in the first lines; set period:")
    out += [f"unit: {unit}", "figures:"]
    for figure in figures:
        spec: list[str] = []
        for key in ("category", "subcategory", "region"):
            if key in figure.scope:
                value = figure.scope[key]
                spec.append(f"{key}: " + (f"[{', '.join(value)}]" if isinstance(value, list) else str(value)))
        if figure.exclude:
            spec.append("exclude: {" + ", ".join(f"{k}: {v}" for k, v in figure.exclude.items()) + "}")
        if figure.unit and figure.unit != unit and any(k not in ("count", "deals") for k in figure.values):
            spec.append(f"unit: {figure.unit}")
        spec += [f"{k}: {v}" for k, v in figure.values.items()]
        out.append(f"  # {figure.source[:200]}")
        line = "  - {" + ", ".join(spec) + "}"
        if figure.review:
            out.append(f"  # review: {figure.review}")
            line = "  # " + line.strip()
        out.append(line)
    return "\n".join(out) + "\n"


def _scalar(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
