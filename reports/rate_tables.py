"""The 节资率/增值率 tables of a report: by category, by region and by month, from the rule file's measures.

Values stay exact here: counts as int, money as Decimal 万元 (fen / 10⁶, exact), rates as Decimal ratios
(Σ/Σ from the measures, six significant decimals). Writers only format them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ggzy.ledger.queries import Scope
from ggzy.money import FEN_PER_UNIT
from ggzy.periods import parse_period
from ggzy.rules.engine import MeasureRow, RuleSet, aggregate, total_of
from ggzy.vocab import vocabulary
from sqlalchemy.engine import Engine

#: the columns of the rate tables, when the rule file defines them (a centre's own rules may not)
TABLE_MEASURES = ("count", "deals", "amount", "budget", "savings", "savings_rate", "reserve", "premium",
                  "premium_rate")
FEN_PER_WAN = 1_000_000


@dataclass
class RateTable:
    """One grouping: a header (measure names) and rows of (group label, values by measure)."""

    by: str
    measures: list[str]
    labels: dict[str, str]  # measure → 中文 label from the rule file
    kinds: dict[str, str]  # measure → count | money | rate | number
    rows: list[tuple[str, dict[str, int | Decimal | None]]] = field(default_factory=list)
    total: dict[str, int | Decimal | None] = field(default_factory=dict)


@dataclass
class RateTables:
    by_category: RateTable
    by_region: RateTable
    monthly: list[tuple[str, dict[str, Decimal]]]  # month → category label → deal amount (万元)
    categories: list[str]  # category labels in the monthly table


def measure_kind(rules: RuleSet, name: str) -> str:
    measure = rules.measure(name)
    if measure.ratio:
        return "number" if measure.format == "number" else "rate"
    return "money" if measure.is_money else "count"


def _values(rules: RuleSet, row: MeasureRow, names: list[str]) -> dict[str, int | Decimal | None]:
    values: dict[str, int | Decimal | None] = {}
    for name in names:
        value = row.value(rules, name)
        kind = measure_kind(rules, name)
        if value is None:
            values[name] = None
        elif kind == "money":
            values[name] = Decimal(int(value)) / FEN_PER_WAN  # exact: at most six decimals
        elif kind in ("rate", "number"):
            ratio = Fraction(value)
            values[name] = (Decimal(ratio.numerator) / Decimal(ratio.denominator)).quantize(Decimal("1e-6"))
        else:
            values[name] = int(value)
    return values


def _table(engine: Engine, rules: RuleSet, names: list[str], scope: Scope, by: str) -> RateTable:
    vocab = vocabulary()
    rows = aggregate(engine, rules, names, scope, [by])
    table = RateTable(by, names, {n: rules.measure(n).label for n in names},
                      {n: measure_kind(rules, n) for n in names})
    for row in rows:
        value = row.group[by]
        label = vocab.label(value) if by == "category" and value else (value or "—")
        table.rows.append((label, _values(rules, row, names)))
    table.total = _values(rules, total_of(rows), names) if rows else {}
    return table


def rate_tables(engine: Engine, rules: RuleSet, period: str | None) -> RateTables:
    """The tables a report shows for ``period`` (all records when None)."""
    scope = Scope(months=parse_period(period).months) if period else Scope()
    names = [n for n in TABLE_MEASURES if n in rules.measures]
    by_category = _table(engine, rules, names, scope, "category")
    by_region = _table(engine, rules, names, scope, "region")
    monthly: dict[str, dict[str, Decimal]] = {}
    categories: list[str] = []
    if "amount" in rules.measures:
        vocab = vocabulary()
        for row in aggregate(engine, rules, ["amount"], scope, ["month", "category"]):
            label = vocab.label(row.group["category"]) if row.group["category"] else "—"
            if label not in categories:
                categories.append(label)
            month = row.group["month"] or "—"
            monthly.setdefault(month, {})[label] = Decimal(row.sums["amount"]) / FEN_PER_WAN
    return RateTables(by_category, by_region, sorted(monthly.items()), categories)


@dataclass
class GroupedRates:
    """`ggzy rates` and the web's rates page: measures per group, exact values, plus records left out."""

    dims: list[str]
    unit: str
    names: list[str]
    rows: list[MeasureRow]
    total: MeasureRow | None
    missing: dict[str, int]  # measure → records left out of it because a field it needs is empty


def grouped_rates(engine: Engine, rules: RuleSet, scope: Scope, dims: list[str], unit: str) -> GroupedRates:
    names = list(rules.measures)
    rows = aggregate(engine, rules, names, scope, dims)
    total = None
    if dims:  # sums are additive: the total comes from the groups, not from a second scan
        total = total_of(rows) if rows else aggregate(engine, rules, names, scope)[0]
    basis = total or (rows[0] if rows else None)
    missing = {n: basis.missing[n] for n in names if basis is not None and rules.measure(n).sum
               and basis.missing[n] and n != "count"}
    return GroupedRates(dims, unit, names, rows, total, missing)


def measure_value(rules: RuleSet, row: MeasureRow, name: str, unit: str) -> int | Decimal | None:
    """A measure of a group as a number: money in ``unit`` (exact), a rate as a ratio (Decimal), counts as int."""
    value = row.value(rules, name)
    if value is None:
        return None  # no base: never shown as 0%
    kind = measure_kind(rules, name)
    if kind == "money":
        return Decimal(int(value)) / FEN_PER_UNIT[unit]
    if kind in ("rate", "number"):
        ratio = Fraction(value)
        return Decimal(ratio.numerator) / Decimal(ratio.denominator)
    return int(value)


def rates_json(rules: RuleSet, rates: GroupedRates) -> dict[str, Any]:
    """`ggzy rates --format json`: counts as numbers, money and rates as decimal strings (2 places; rates in %)."""
    from ggzy.money import fraction_str

    def text(row: MeasureRow, name: str) -> object:
        measure = rules.measure(name)
        value = row.value(rules, name)
        if not measure.ratio and not measure.is_money:
            return row.sums[name]  # a count: a number in JSON
        if value is None:
            return None
        if measure.ratio:
            return fraction_str(Fraction(value), 2) if measure.format == "number" else \
                fraction_str(Fraction(value) * 100, 2) + "%"
        return fraction_str(Fraction(value, FEN_PER_UNIT[rates.unit]), 2)

    def values(row: MeasureRow) -> dict[str, object]:
        out: dict[str, object] = {}
        for name in rates.names:
            out[name] = text(row, name)
            if rules.measure(name).sum and row.missing[name]:
                out[f"{name}_missing"] = row.missing[name]
        return out

    return {"unit": rates.unit, "by": rates.dims, "rows": [{**row.group, **values(row)} for row in rates.rows],
            "total": values(rates.total) if rates.total else None}
