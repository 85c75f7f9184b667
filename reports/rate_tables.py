"""The 节资率/增值率 tables of a report: by category, by region and by month, from the rule file's measures.

Values stay exact here: counts as int, money as Decimal 万元 (fen / 10⁶, exact), rates as Decimal ratios
(Σ/Σ from the measures, six significant decimals). Writers only format them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from ggzy.ledger.queries import Scope
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


def _kind(rules: RuleSet, name: str) -> str:
    measure = rules.measure(name)
    if measure.ratio:
        return "number" if measure.format == "number" else "rate"
    return "money" if measure.is_money else "count"


def _values(rules: RuleSet, row: MeasureRow, names: list[str]) -> dict[str, int | Decimal | None]:
    values: dict[str, int | Decimal | None] = {}
    for name in names:
        value = row.value(rules, name)
        kind = _kind(rules, name)
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
    table = RateTable(by, names, {n: rules.measure(n).label for n in names}, {n: _kind(rules, n) for n in names})
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
