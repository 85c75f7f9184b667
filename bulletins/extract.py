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
from ggzy.bulletins.figures import Extracted
from ggzy.bulletins.grammar import simplified
from ggzy.bulletins.prose import read_prose
from ggzy.errors import InputError
from ggzy.vocab import user_place, vocabulary

_CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
                   "十": 10}
_SCALE_UNIT = {"亿": "亿元", "万": "万元", None: "元"}


@dataclass(frozen=True)
class Phrasebook:
    periods: list[tuple[re.Pattern[str], str]]
    scopes: list[tuple[str, dict[str, Any]]]  # longest first
    measures: dict[str, list[str]]  # measure → the words that name it
    count_words: tuple[str, ...]
    nothing_traded: tuple[str, ...]
    ignore: tuple[str, ...]
    continuations: tuple[str, ...]  # a sentence starting so goes on about the figure before it ('涉及…')
    regions: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # longest first
    place_suffixes: tuple[str, ...] = ()
    place_stop: tuple[str, ...] = ()
    own_entity: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    unexpressible: tuple[str, ...] = ()
    status_words: tuple[str, ...] = ()
    growth_words: tuple[str, ...] = ()
    share_words: tuple[str, ...] = ()
    approximate_words: tuple[str, ...] = ()
    trading_words: tuple[str, ...] = ()
    parts: tuple[str, ...] = ("其中",)
    not_measures: tuple[str, ...] = ()
    total_words: tuple[str, ...] = ()
    not_ignore: tuple[str, ...] = ()
    notes_in_brackets: tuple[str, ...] = ()
    amount_verbs: tuple[str, ...] = ()
    filler_words: tuple[str, ...] = ()  # words of a subject that narrow nothing ('实际', '各类', '领域' …)
    subject_ends: tuple[str, ...] = ()  # verbs after which the number's subject starts ('完成', '办理' …)
    trade_marks: tuple[str, ...] = ()  # a segment with one of these has every number accounted for (numbers.py)
    forecast_words: tuple[str, ...] = ()  # a clause with one is a forecast or a target ('预计全年…', '目标…')
    method_names: dict[str, str] = field(default_factory=dict)  # printed method → the ledger's ('询价采购' → 询价)


@cache
def phrasebook(path: str | None = None) -> Phrasebook:
    source = Path(path) if path else Path(str(resources.files("ggzy").joinpath("data/bulletin.yaml")))
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        scopes = sorted(((str(k), dict(v or {})) for k, v in data["scopes"].items()), key=lambda kv: -len(kv[0]))
        regions = sorted(((str(k), dict(v or {})) for k, v in (data.get("regions") or {}).items()),
                         key=lambda kv: -len(kv[0]))
        measures = {str(k): [str(w) for w in v] for k, v in data["measures"].items()}
        periods = [(re.compile(p["pattern"]), p["period"]) for p in data["periods"]]
        words = {key: tuple(str(w) for w in data.get(key) or ()) for key in (
            "place_suffixes", "place_stop", "own_entity", "methods", "unexpressible", "status_words", "growth_words",
            "share_words", "approximate_words", "trading_words", "notes_in_brackets", "not_measures", "total_words",
            "not_ignore", "amount_verbs", "filler_words", "subject_ends", "trade_marks", "forecast_words")}
        return Phrasebook(periods, scopes, measures, tuple(data["count_words"]), tuple(data["nothing_traded"]),
                          tuple(data["ignore"]), tuple(data.get("continuations") or ()), regions,
                          parts=tuple(data.get("parts") or ("其中",)),
                          method_names={str(k): str(v) for k, v in (data.get("method_names") or {}).items()},
                          **words)
    except OSError as exc:
        raise InputError(f"phrasebook {source}: cannot be read ({exc.strerror}); check the path") from None
    except (yaml.YAMLError, KeyError, TypeError, AttributeError, ValueError, re.error) as exc:
        what = f"missing {exc}" if isinstance(exc, KeyError) else type(exc).__name__
        raise InputError(f"phrasebook {source}: not a valid phrasebook ({what}); start from a copy of "
                         "ggzy/data/bulletin.yaml (periods, scopes, measures, count_words, nothing_traded, "
                         "ignore)") from None


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


def find_period(lines: list[str], book: Phrasebook, year: int | None = None) -> str | None:
    """The bulletin's period from its first lines (title, date line): the first period phrase there."""
    from ggzy.bulletins.grammar import Context, Grammar, publication_year

    grammar, context = Grammar(book), Context()
    published = publication_year(lines[:12])
    found: list[str] = []
    for line in lines[:12]:
        context.period = None
        grammar.periods_in(_period_words(grammar.normalise(line), book), context, published, year, None)
        if context.period:
            found.append(context.period)
    specific = [p for p in found if not p.isdigit()]  # a quarter, half or months before a bare year
    return (specific or found)[0] if found else None


def _period_words(line: str, book: Phrasebook) -> str:
    """The clauses of a line that may name the bulletin's period: not a share's or a change's ('占全年…的9%',
    '比2022年同期…'), nor a sentence about something other than trading ('中心全年接待群众1.5万人次')."""
    from ggzy.bulletins.numbers import numbers_in

    kept = []
    for sentence in re.split(r"[。;!?]", line):
        trading = any(w in sentence for w in (*book.trade_marks, "交易")) or re.search(r"\d[亿万]?元", sentence)
        if numbers_in(sentence) and not trading:
            continue
        kept += [c for c in re.split(r"[,:]", sentence)
                 if not any(w in c for w in (*book.share_words, *book.growth_words, *book.forecast_words))]
    return ",".join(kept)


def _rejoined(lines: list[str]) -> list[str]:
    """A sentence broken across lines after a comma or an enumeration mark (a copy from a PDF or a narrow page)
    is one line again: a line is a paragraph, and a paragraph's scope and period carry."""
    out: list[str] = []
    for line in lines:
        if out and out[-1].endswith((",", "，", "、")) and line and not _cell(line) and not _cell(out[-1]):
            out[-1] += line
        else:
            out.append(line)
    return out


def _cell(line: str) -> bool:
    """A table cell written one per line ('cell |'); a line of sentences ending in '|' (a page's layout) is prose."""
    return line.rstrip().endswith("|") and "。" not in line


def read_tables(lines: list[str], book: Phrasebook, regions: set[str]) -> list[Extracted]:
    """Attachment tables written one cell per line ('cell |'): a header, numbered rows, a 合计 row."""
    figures: list[Extracted] = []
    index = 0
    block = 100_000  # table blocks never meet paragraph blocks
    while index < len(lines):
        if not _cell(lines[index]):
            index += 1
            continue
        cells: list[str] = []
        while index < len(lines) and _cell(lines[index]):
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
            if components and total.block >= 100_000:  # a table's 合计; in prose, parts need not add up
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


def extract(text: str, regions: set[str] | None = None, phrases: str | None = None,
            year: int | None = None) -> tuple[str | None, list[Extracted]]:
    """(period, figures) of a bulletin's text; ``year`` is the year of a passage that prints none.

    The file's period is the period of the first figure read from the text (the head's period when the text has
    none); figures of other periods carry their own."""
    book = phrasebook(phrases)
    text = simplified(text)
    lines = _rejoined([line.strip() for line in text.splitlines() if not line.startswith("# source:")])
    prose = [line for line in lines if line and not _cell(line)]
    figures = read_prose(prose, book, year) + read_tables(lines, book, regions or set())
    infer_exclusions(figures)
    levels = vocabulary()
    for figure in figures:
        level = figure.scope.get("level")
        if level and not figure.review and levels.level(level) is None:
            figure.review = (f"level {level!r} is not a level the vocabulary knows: list its regions under levels: in "
                             f"{user_place('regions.yaml')}")
    dated = [f.period for f in figures if f.period and not f.note and not f.review]
    period = dated[0] if dated else find_period(lines, book)
    for figure in figures:
        if figure.period is None and not figure.note:
            figure.period = period
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
    """The published-figures file (DESIGN.md format), each figure under its source sentence; numbers that are not
    figures are written as `# review:` lines under theirs."""
    title = next((line.strip() for line in text.splitlines() if line.strip() and not line.startswith("# source:")),
                 path.stem)
    units = [f.unit for f in figures if f.unit and not f.note]
    unit = max(set(units), key=units.count) if units else "亿元"
    out = [f"# Extracted by `ggzy bulletin extract` from {path.name}: check every figure against its sentence.",
           f"title: {_scalar(title)}", f"source: {_scalar(path.name)}"]
    out.append(f"period: {period}" if period else "# review: no period found (a year is needed: give --year)")
    out += [f"unit: {unit}", "figures:"]
    last_source = None
    for figure in figures:
        if figure.source != last_source:
            out.append(f"  # {figure.source[:200]}")
            last_source = figure.source
        if figure.note:
            out.append(f"  # review: {figure.values['_text']}: {figure.review}")
            continue
        spec: list[str] = []
        if figure.period and figure.period != period:
            spec.append(f"period: {figure.period}")
        for key in ("category", "subcategory", "region", "level", "method"):
            if key in figure.scope:
                value = figure.scope[key]
                spec.append(f"{key}: " + (f"[{', '.join(value)}]" if isinstance(value, list) else str(value)))
        if figure.exclude:
            spec.append("exclude: {" + ", ".join(f"{k}: {v}" for k, v in figure.exclude.items()) + "}")
        if figure.unit and figure.unit != unit and any(k not in ("count", "deals") for k in figure.values):
            spec.append(f"unit: {figure.unit}")
        spec += [f"{k}: {v}" for k, v in figure.values.items()]
        line = "  - {" + ", ".join(spec) + "}"
        if figure.review or (figure.period is None and period is None):
            out.append(f"  # review: {figure.review or 'no period: give --year or set period:'}")
            line = "  # " + line.strip()
        out.append(line)
    return "\n".join(out) + "\n"


def needs_review(period: str | None, figures: list[Extracted]) -> int:
    """How many lines of the written file a person must look at (0 only when that is true)."""
    return (period is None) + sum(1 for f in figures if f.review or f.note)


def _scalar(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
