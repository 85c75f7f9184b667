"""Published-figures files (DESIGN.md format) and the interval each published value stands for.

A value keeps its precision as written: `22.91` 亿元 is [22.905, 22.915) 亿元, `9.29%` is
[9.285%, 9.295%), `8.52+` (亿余元, a truncated value) is [8.52, 8.53), a count is exact.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from ggzy.errors import GgzyError, InputError
from ggzy.ledger.queries import Scope, narrow_categories
from ggzy.money import FEN_PER_UNIT, UNIT_ALIASES
from ggzy.periods import Period, parse_period
from ggzy.vocab import user_place, vocabulary
from ggzy.yamlfile import LineDict, load_text_yaml

COUNT_MEASURES = ("count", "deals")
RATE_MEASURES = ("savings_rate", "premium_rate")
MONEY_MEASURES = ("amount", "budget", "savings", "reserve", "premium")
NON_NEGATIVE = ("count", "deals", "amount", "budget", "reserve")
SCOPE_KEYS = ("category", "subcategory", "region", "level", "method", "period", "exclude")
EXTRA_MEASURES = {"efficiency": "增效节资", "efficiency_rate": "增效节资率"}  # in rules/extras.yaml
FILE_KEYS = ("title", "source", "period", "unit", "region", "centre", "figures", "notes")
_NUMBER = re.compile(r"^(?P<num>-?\d+(?:\.(?P<dec>\d+))?)(?P<plus>\+)?(?P<pct>%)?$")


class PublishedError(InputError):
    """A mistake in a published-figures file, with file:line."""


@dataclass(frozen=True)
class PublishedValue:
    """One published number with its precision; ``kind`` is count, money or rate."""

    text: str
    kind: str
    unit: str  # '亿元' etc. for money, '%' for rates, '' for counts
    value: Decimal
    places: int
    truncated: bool = False  # '余': the true value is at least this, below the next step
    measure: str = ""

    @property
    def exact(self) -> bool:
        """Counts are exact; so is a bare `0` (a table's "nothing traded"), which is not a rounded value."""
        return self.kind == "count" or (self.value == 0 and self.places == 0 and not self.truncated)

    @property
    def scale(self) -> Fraction:
        """Ledger terms per published unit: fen per 亿元/万元/元, 1/100 per %, 1 per count."""
        if self.kind == "money":
            return Fraction(FEN_PER_UNIT[self.unit])
        return Fraction(1, 100) if self.kind == "rate" else Fraction(1)

    def bounds(self) -> tuple[Decimal, Decimal]:
        """[low, high) in the value's own unit; equal bounds for an exact value."""
        if self.exact:
            return self.value, self.value
        step = Decimal(1).scaleb(-self.places)
        if self.truncated:
            return self.value, self.value + step
        low = self.value - step / 2
        if self.value >= 0 and self.measure in NON_NEGATIVE:
            low = max(low, Decimal(0))  # a published 0 of an amount cannot stand for a negative one
        return low, self.value + step / 2

    def base_bounds(self) -> tuple[Fraction, Fraction]:
        """Bounds in ledger terms: fen for money, a ratio for rates, a number for counts."""
        low, high = self.bounds()
        scale = self.scale
        return Fraction(low) * scale, Fraction(high) * scale

    def contains(self, ledger: Fraction | int) -> bool:
        low, high = self.base_bounds()
        return low == high == ledger if self.exact else low <= ledger < high


@dataclass
class Figure:
    """One line of `figures:`: a scope and the values published for it."""

    index: int  # 1-based position in the file
    line: int
    scope: Scope
    scope_text: dict[str, Any]
    values: dict[str, PublishedValue] = field(default_factory=dict)
    period: Period | None = None


@dataclass
class PublishedFile:
    path: Path
    sha256: str
    title: str
    source: str
    period: Period | None
    unit: str
    region: str | None
    figures: list[Figure]


def parse_value(text: Any, measure: str, unit: str, where: str, kind: str | None = None) -> PublishedValue:
    """A published value; ``kind`` (rate, number, money, count) comes from the rule file for a measure
    beyond DESIGN.md's."""
    raw = unicodedata.normalize("NFKC", str(text)).strip().replace(",", "")
    match = _NUMBER.match(raw)
    if match is None:
        raise PublishedError(f"{where}: {measure}: {text!r} is not a number; write e.g. 22.91, 9.29% or 70")
    places = len(match["dec"] or "")
    value = Decimal(match["num"])
    if kind == "number":
        if match["pct"]:
            raise PublishedError(f"{where}: {measure} {text!r} is an average, not a percentage; drop the %")
        return PublishedValue(str(text), "number", "", value, places, bool(match["plus"]), measure)
    if measure in RATE_MEASURES or kind == "rate":
        if not match["pct"]:
            raise PublishedError(f"{where}: {measure} {text!r} needs a % sign, e.g. 9.29%")
        return PublishedValue(str(text), "rate", "%", value, places, bool(match["plus"]), measure)
    if match["pct"]:
        raise PublishedError(f"{where}: {measure} {text!r} is a percentage; only rates take %")
    if measure in COUNT_MEASURES or kind == "count":
        if places or value < 0:
            raise PublishedError(f"{where}: {measure} {text!r} must be a whole number")
        return PublishedValue(str(text), "count", "", value, 0, measure=measure)
    return PublishedValue(str(text), "money", unit, value, places, bool(match["plus"]), measure)


def _as_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _scope(spec: dict[str, Any], where: str, file_period: Period | None) -> tuple[Scope, Period | None, dict]:
    vocab = vocabulary()
    text: dict[str, Any] = {}
    try:
        found = vocab.scope_labels(_as_list(spec["category"]) if spec.get("category") is not None else [],
                                   _as_list(spec["subcategory"]) if spec.get("subcategory") is not None else [])
    except ValueError as exc:
        raise PublishedError(f"{where}: {exc}") from None
    categories, subcategories = found[0] or None, found[1] or None
    if categories:
        text["category"] = [vocab.label(c) for c in dict.fromkeys(categories)]
    if subcategories:
        text["subcategory"] = list(dict.fromkeys(subcategories))
    regions = _as_list(spec["region"]) if spec.get("region") is not None else None
    if regions:
        text["region"] = regions
    level_excludes: list[Scope] = []
    if spec.get("level") is not None:
        level = str(spec["level"])
        group = vocab.level(level)
        if group is None:
            raise PublishedError(f"{where}: level {level!r} is not a level the vocabulary knows ("
                                 f"{', '.join(vocab.levels)}); list its regions under levels: in "
                                 f"{user_place('regions.yaml')}, e.g. {level}: {{regions: [汉滨区, 高新区]}}")
        if regions:
            raise PublishedError(f"{where}: give region: or level:, not both")
        text["level"] = [level]
        if group[0] == "regions":
            regions = list(group[1])
        else:
            level_excludes.append(Scope(regions=group[1]))
    methods = _as_list(spec["method"]) if spec.get("method") is not None else None
    if methods:
        text["method"] = methods
    period = file_period
    if spec.get("period") is not None:
        try:
            period = parse_period(str(spec["period"]))
        except GgzyError as exc:
            raise PublishedError(f"{where}: {exc}") from None
    narrowed_categories, narrowed_subcategories, narrowing = narrow_categories(
        tuple(dict.fromkeys(categories)) if categories else None,
        tuple(dict.fromkeys(subcategories)) if subcategories else None, vocab.category_of())
    excludes: list[Scope] = [*narrowing, *level_excludes]
    if spec.get("exclude") is not None:
        excluded = spec["exclude"]
        if not isinstance(excluded, dict) or set(excluded) - {"category", "subcategory", "region", "method"}:
            raise PublishedError(f"{where}: exclude: takes category:, subcategory:, region: or method:, e.g. "
                                 "exclude: {subcategory: 集中采购}")
        ex_scope, _, ex_text = _scope(excluded, where, None)
        excludes.append(ex_scope)
        text["exclude"] = ex_text
    scope = Scope(narrowed_categories, narrowed_subcategories, tuple(regions) if regions else None,
                  period.months if period else None, tuple(excludes), tuple(methods) if methods else None)
    return scope, period, text


def load_published(path: str | Path, measures: dict[str, str] | tuple[str, ...] = ()) -> PublishedFile:
    """Load and check a published-figures file; every error names file:line and the fix.

    ``measures``: the rule file's measures (name → kind) beyond DESIGN.md's, so they can be published too."""
    kinds = dict(measures) if isinstance(measures, dict) else {}
    path = Path(path)
    data = load_text_yaml(path, "published-figures file")
    if not isinstance(data, LineDict) or not isinstance(data.get("figures"), list):
        raise PublishedError(f"{path}:1: a published-figures file needs `figures:` (a list); see DESIGN.md")
    for key in data:
        if key not in FILE_KEYS:
            raise PublishedError(f"{path}:{data.key_lines[key]}: unknown setting {key!r}; known: "
                                 f"{', '.join(FILE_KEYS)}")
    unit = _unit(data.get("unit") or "元", f"{path}:{data.key_lines.get('unit', 1)}")
    period = None
    if data.get("period"):
        try:
            period = parse_period(data["period"])
        except GgzyError as exc:
            raise PublishedError(f"{path}:{data.key_lines['period']}: {exc}") from None
    known_measures = set(COUNT_MEASURES + RATE_MEASURES + MONEY_MEASURES + tuple(measures))
    figures = []
    for index, spec in enumerate(data["figures"], start=1):
        line = getattr(spec, "line", data.key_lines["figures"])
        where = f"{path}:{line}"
        if not isinstance(spec, dict):
            raise PublishedError(f"{where}: figure {index} must be a mapping like {{category: 工程建设, count: 217}}")
        figure_unit = _unit(spec["unit"], where) if spec.get("unit") else unit
        unknown = set(spec) - set(SCOPE_KEYS) - known_measures - {"unit", "note"}
        if extra := sorted(unknown & set(EXTRA_MEASURES)):
            raise PublishedError(f"{where}: {extra[0]} ({EXTRA_MEASURES[extra[0]]}) is a measure of the extras rules; "
                                 "reconcile with --rules extras (or a rule file that defines it)")
        if unknown:
            raise PublishedError(f"{where}: unknown key {sorted(unknown)[0]!r} in figure {index}; measures are "
                                 f"{', '.join(sorted(known_measures))}")
        scope, figure_period, text = _scope(spec, where, period)
        if figure_period is None:
            raise PublishedError(f"{where}: figure {index} has no period; set `period:` for the file or the figure")
        text = {"period": figure_period.canonical, **text}  # 2022年7月 and 202207 are echoed as 2022-07
        figure = Figure(index, line, scope, text, period=figure_period)
        for key, value in spec.items():
            if key in known_measures:
                if value is None:
                    raise PublishedError(f"{where}: {key} has no value")
                figure.values[key] = parse_value(value, key, figure_unit, where, kinds.get(key))
        if not figure.values:
            raise PublishedError(f"{where}: figure {index} publishes no measure (count, amount, savings_rate …)")
        figures.append(figure)
    return PublishedFile(path, hashlib.sha256(path.read_bytes()).hexdigest(), str(data.get("title") or ""),
                         str(data.get("source") or ""), period, unit,
                         str(data["region"]) if data.get("region") else None, figures)


def _unit(text: str, where: str) -> str:
    unit = UNIT_ALIASES.get(str(text).strip())
    if unit is None or unit == "分":
        raise PublishedError(f"{where}: unit {text!r} is not a money unit; use 元, 万元 or 亿元")
    return unit


def scope_from_text(scope_text: dict[str, Any]) -> Scope:
    """The scope of a recorded result (``{"period", "category", "subcategory", "region", "exclude"}``, labels as
    `reconcile --format json` writes them) — resolved by the same rules as a published file's figure."""
    spec = {k: v for k, v in scope_text.items() if v is not None and k in SCOPE_KEYS}
    scope, _, _ = _scope(spec, "recorded scope", None)
    return scope
