"""Rule files and the measure engine: measures compile to SQL aggregates run by the database.

Expressions are parsed (Python's ``ast``, a whitelist of nodes) and built as SQLAlchemy expressions,
so user text never becomes SQL text, and aggregation happens where the data is.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

from ggzy.errors import InputError
from ggzy.ledger.models import RecordTotal
from ggzy.ledger.queries import Scope, records_table, scope_condition
from ggzy.ledger.record_totals import PRESENCE
from ggzy.vocab import GROUP_COLUMNS, STATUSES, vocabulary
from ggzy.yamlfile import LineDict, find_user_file, load_with_includes
from sqlalchemy import and_, case, func, literal, not_, select
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement

MONEY = {"budget": "budget_fen", "control_price": "control_price_fen", "reserve": "reserve_fen",
         "deal": "deal_fen"}
FIELDS = {**MONEY, "bidders": "bidders"}  # bidders: a count per record (投标人数), not money
#: what a figure's ledger side can be broken down by (reports, web): the groupings plus the imported file
BREAKDOWN_COLUMNS = {**GROUP_COLUMNS, "batch": "batch_id"}
MEASURE_KEYS = {"label", "sum", "ratio", "statuses", "categories", "require", "by_category", "format"}
FORMATS = ("percent", "number")
DEFAULT_RULES = "default.yaml"


class RuleError(InputError):
    """A rule file mistake, with file:line."""


@dataclass
class SumSpec:
    expr: str
    fields: frozenset[str]  # fields the expression and require: need present


@dataclass
class Measure:
    name: str
    label: str
    line: int
    source: str
    sum: SumSpec | None = None
    ratio: tuple[str, str] | None = None
    statuses: tuple[str, ...] | None = ("deal",)  # None = all
    categories: tuple[str, ...] | None = None
    by_category: dict[str, SumSpec] = field(default_factory=dict)
    format: str = "percent"  # how a ratio reads: 9.29% (a rate) or 4.60 (an average, e.g. bidders per award)

    @property
    def is_money(self) -> bool:
        specs = [self.sum, *self.by_category.values()] if self.sum else []
        return any(_expr_fields(s.expr) & set(MONEY) for s in specs)

    @property
    def kind(self) -> str:
        """What a published value of this measure is: rate, number (a plain ratio), money or count."""
        if self.ratio:
            return "rate" if self.format == "percent" else "number"
        return "money" if self.is_money else "count"


@dataclass
class RuleSet:
    measures: dict[str, Measure]
    sources: list[str]

    @property
    def source(self) -> str:
        return self.sources[-1] if self.sources else ""

    def kinds(self) -> dict[str, str]:
        return {name: measure.kind for name, measure in self.measures.items()}

    def measure(self, name: str) -> Measure:
        try:
            return self.measures[name]
        except KeyError:
            raise RuleError(f"{self.source}: no measure named {name!r}; known: "
                            f"{', '.join(self.measures)}") from None


def _expr_fields(expr: str) -> set[str]:
    return {n.id for n in ast.walk(ast.parse(expr, mode="eval")) if isinstance(n, ast.Name)} - {"abs"}


def _check_expr(expr: str, where: str) -> SumSpec:
    try:
        tree = ast.parse(str(expr).strip(), mode="eval")
    except SyntaxError:
        raise RuleError(f"{where}: sum expression {expr!r} is not readable; write e.g. `budget - deal`") from None
    allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Add, ast.Sub, ast.Mult, ast.USub, ast.Name,
               ast.Constant, ast.Call, ast.Load)
    for node in ast.walk(tree):
        if not isinstance(node, allowed):
            raise RuleError(f"{where}: {type(node).__name__} is not allowed in {expr!r}; use fields "
                            f"({', '.join(FIELDS)}), numbers, + - * and abs()")
        if isinstance(node, ast.Name) and node.id not in FIELDS and node.id != "abs":
            raise RuleError(f"{where}: unknown field {node.id!r} in {expr!r}; fields are {', '.join(FIELDS)}")
        if isinstance(node, ast.Constant) and not isinstance(node.value, int):
            raise RuleError(f"{where}: only whole numbers may appear in {expr!r}")
        if isinstance(node, ast.Call) and (not isinstance(node.func, ast.Name) or node.func.id != "abs"
                                           or len(node.args) != 1):
            raise RuleError(f"{where}: only abs(x) may be called in {expr!r}")
    return SumSpec(str(expr).strip(), frozenset(_expr_fields(str(expr))))


def is_linear(expr: str) -> bool:
    """True when the sum of ``expr`` over records equals ``expr`` over their sums (no abs, no field × field):
    such measures can be computed from the record totals."""
    def linear(node: ast.AST) -> bool:
        if isinstance(node, ast.Expression):
            return linear(node.body)
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Mult):
                return (isinstance(node.left, ast.Constant) or isinstance(node.right, ast.Constant)) and \
                    linear(node.left) and linear(node.right)
            return linear(node.left) and linear(node.right)
        if isinstance(node, ast.UnaryOp):
            return linear(node.operand)
        return isinstance(node, ast.Name | ast.Constant)

    return linear(ast.parse(expr, mode="eval"))


def compile_expr(expr: str, table: Any, over_totals: bool = False) -> ColumnElement[Any]:
    """A checked expression → SQLAlchemy expression over ``table``'s fen columns; ``over_totals``: over
    the record totals, where a constant counts once per record (Σ(deal + 5) = Σdeal + 5·n)."""

    def build(node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return build(node.body)
        if isinstance(node, ast.BinOp):
            if over_totals and isinstance(node.op, ast.Mult):  # linear: one side is a constant factor
                if isinstance(node.left, ast.Constant):
                    return literal(node.left.value) * build(node.right)
                if isinstance(node.right, ast.Constant):
                    return build(node.left) * literal(node.right.value)
                raise AssertionError(node)  # pragma: no cover - is_linear admits only constant factors
            left, right = build(node.left), build(node.right)
            return {ast.Add: lambda: left + right, ast.Sub: lambda: left - right,
                    ast.Mult: lambda: left * right}[type(node.op)]()
        if isinstance(node, ast.UnaryOp):
            return -build(node.operand)
        if isinstance(node, ast.Name):
            return table.c[FIELDS[node.id]]
        if isinstance(node, ast.Constant):
            return literal(node.value) * table.c.records if over_totals else literal(node.value)
        if isinstance(node, ast.Call):
            return func.abs(build(node.args[0]))
        raise AssertionError(node)  # pragma: no cover - _check_expr rejected it

    return build(ast.parse(expr, mode="eval"))


def _names(value: Any, where: str, what: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(i, str) for i in items):
        raise RuleError(f"{where}: {what} must be a name or a list of names")
    return tuple(items)


def _parse_measure(name: str, spec: Any, path: Path, line: int) -> Measure:
    """One measure; ``line`` is where its name stands, errors point at the offending key's line."""
    if not isinstance(spec, dict):
        raise RuleError(f"{path}:{line}: measure {name!r} must be a mapping with sum: or ratio:")
    key_lines = getattr(spec, "key_lines", {})

    def at(key: str) -> str:
        return f"{path}:{key_lines.get(key, line)}"

    unknown = [k for k in spec if k not in MEASURE_KEYS]
    if unknown:
        raise RuleError(f"{at(unknown[0])}: unknown setting {unknown[0]!r} in measure {name!r}; "
                        f"known: {', '.join(sorted(MEASURE_KEYS))}")
    if ("sum" in spec) == ("ratio" in spec):
        raise RuleError(f"{path}:{line}: measure {name!r} needs exactly one of sum: or ratio:")
    measure = Measure(name, str(spec.get("label") or name), line, str(path))
    require = frozenset(_names(spec.get("require", []), at("require"), "require"))
    if bad := require - set(FIELDS):
        raise RuleError(f"{at('require')}: require: names unknown field {sorted(bad)[0]!r}; "
                        f"fields are {', '.join(FIELDS)}")
    if "sum" in spec and "format" in spec:
        raise RuleError(f"{at('format')}: format: applies to ratio: measures only")
    if "sum" in spec:
        checked = _check_expr(spec["sum"], at("sum"))
        measure.sum = SumSpec(checked.expr, checked.fields | require)
    else:
        parts = [p.strip() for p in str(spec["ratio"]).split("/")]
        if len(parts) != 2 or not all(parts):
            raise RuleError(f"{at('ratio')}: ratio {spec['ratio']!r} must be `measure / measure`, "
                            "e.g. savings / budget")
        measure.ratio = (parts[0], parts[1])
        measure.line = key_lines.get("ratio", line)
        measure.format = str(spec.get("format", "percent"))
        if measure.format not in FORMATS:
            raise RuleError(f"{at('format')}: format {measure.format!r} is not known; use percent (9.29%) or "
                            "number (4.60, for averages)")
    statuses = _names(spec.get("statuses", ["deal"]), at("statuses"), "statuses")
    if statuses == ("all",):
        measure.statuses = None
    else:
        canonical = tuple(vocabulary().status(s) or s for s in statuses)
        if bad_status := [s for s in canonical if s not in STATUSES]:
            raise RuleError(f"{at('statuses')}: unknown status {bad_status[0]!r}; use {', '.join(STATUSES)} or all")
        measure.statuses = canonical
    if "categories" in spec:
        measure.categories = tuple(_category(c, at("categories"))
                                   for c in _names(spec["categories"], at("categories"), "categories"))
    by_category = spec.get("by_category") or {}
    for category, sub in by_category.items():
        sub_where = f"{path}:{getattr(by_category, 'key_lines', {}).get(category, line)}"
        if not isinstance(sub, dict) or "sum" not in sub:
            raise RuleError(f"{sub_where}: by_category: {category}: needs a sum:")
        checked = _check_expr(sub["sum"], sub_where)
        extra = frozenset(_names(sub.get("require", []), sub_where, "require"))
        measure.by_category[_category(category, sub_where)] = SumSpec(checked.expr, checked.fields | extra)
    return measure


def _category(label: str, where: str) -> str:
    category = vocabulary().category(label)
    if category is None:
        raise RuleError(f"{where}: unknown category {label!r}; use one of "
                        f"{', '.join(vocabulary().category_labels.values())}")
    return category


def load_rules(path: str | Path | None = None) -> RuleSet:
    """Load a rule file (default: the shipped rules; a bare name such as ``extras`` is a shipped one), its
    ``include:`` first, so a file overrides the measures it includes by name."""
    shipped_dir = Path(str(resources.files("ggzy").joinpath("rules")))
    found = find_user_file(path if path is not None else DEFAULT_RULES, shipped_dir, "rule file", error=RuleError)
    rules = RuleSet({}, [])
    for file, data in load_with_includes(found, "rule file", shipped_dir, error=RuleError):
        _read_measures(rules, file, data)
    return rules


def _read_measures(rules: RuleSet, path: Path, data: LineDict) -> None:
    unknown = set(data) - {"include", "measures"}
    if unknown:
        key = sorted(unknown)[0]
        raise RuleError(f"{path}:{data.key_lines[key]}: unknown setting {key!r}; a rule file has include: "
                        "and measures:")
    measures = data.get("measures") or LineDict()
    if not isinstance(measures, LineDict):  # the rule loader makes every mapping a LineDict
        raise RuleError(f"{path}:{data.key_lines.get('measures', 1)}: measures: must be a mapping of names")
    for name, spec in measures.items():
        rules.measures[name] = _parse_measure(name, spec, path, measures.key_lines[name])
    for measure in rules.measures.values():
        for part in measure.ratio or ():
            if part not in rules.measures or rules.measures[part].ratio:
                raise RuleError(f"{measure.source}:{measure.line}: ratio of {measure.name!r} names "
                                f"{part!r}, which is not a sum measure; define it under measures:")
    rules.sources.append(str(path))


def from_totals(measure: Measure) -> bool:
    specs = [s for s in (measure.sum, *measure.by_category.values()) if s is not None]
    return all(is_linear(s.expr) for s in specs)


def _selection(measure: Measure, table: Any, over_totals: bool = False) -> tuple[ColumnElement[Any], ...]:
    """(value, included-count, missing-count) of a sum measure, as SQL aggregates over the records, or
    over the record totals (``over_totals``: presence is a flag per totals row, counts are its records)."""
    one = table.c.records if over_totals else literal(1)

    def present_of(name: str) -> Any:
        if over_totals:
            return table.c[PRESENCE[FIELDS[name]]].is_(True)
        return table.c[FIELDS[name]].isnot(None)

    base: list[Any] = []
    if measure.statuses is not None:
        base.append(table.c.status.in_(measure.statuses))
    if measure.categories is not None:
        base.append(table.c.category.in_(measure.categories))
    branches: list[tuple[Any, SumSpec]] = [
        (table.c.category == cat, spec) for cat, spec in measure.by_category.items()]
    if measure.sum is not None:
        rest = not_(table.c.category.in_(list(measure.by_category))) if measure.by_category else literal(True)
        branches.append((rest, measure.sum))
    value_whens: list[tuple[Any, Any]] = []
    missing_whens: list[tuple[Any, Any]] | None = []
    if all(not spec.fields for _, spec in branches):
        missing_whens = None  # nothing can be missing: no per-row work for it
    for branch_cond, spec in branches:
        present = and_(*(present_of(f) for f in sorted(spec.fields))) if spec.fields else literal(True)
        value_whens.append((and_(*base, branch_cond, present), compile_expr(spec.expr, table, over_totals)))
        if missing_whens is not None:
            missing_whens.append((and_(*base, branch_cond, not_(present)), one))
    value = func.coalesce(func.sum(case(*value_whens, else_=None)), 0)
    included = func.coalesce(func.sum(case(*((cond, one) for cond, _ in value_whens), else_=0)), 0)
    missing = func.coalesce(func.sum(case(*missing_whens, else_=0)), 0) if missing_whens else literal(0)
    return value, included, missing


@dataclass
class MeasureRow:
    """Aggregated sums of one group: measure → int (fen or count), plus rows missing a field."""

    group: dict[str, str | None]
    sums: dict[str, int]
    included: dict[str, int]  # records that went into each sum
    missing: dict[str, int]  # records left out because a field the measure needs is empty

    def value(self, rules: RuleSet, name: str) -> int | Fraction | None:
        measure = rules.measure(name)
        if measure.ratio:
            numerator, denominator = (self.sums[p] for p in measure.ratio)
            return Fraction(numerator, denominator) if denominator else None
        if measure.is_money and not self.included[name]:
            return None  # no record has the field: unknown, not zero
        return self.sums[name]


def total_of(rows: list[MeasureRow]) -> MeasureRow:
    """The total over groups: every sum, included and missing count is additive, so no second scan."""
    total = MeasureRow({}, {}, {}, {})
    for row in rows:
        for store, values in ((total.sums, row.sums), (total.included, row.included), (total.missing, row.missing)):
            for name, value in values.items():
                store[name] = store.get(name, 0) + value
    return total


def sum_measures(rules: RuleSet, names: list[str]) -> list[str]:
    """The sum measures needed to compute ``names`` (ratios expand to their parts)."""
    needed: list[str] = []
    for name in names:
        measure = rules.measure(name)
        for part in measure.ratio or (name,):
            if part not in needed:
                needed.append(part)
    return needed


def aggregate(engine: Engine, rules: RuleSet, names: list[str], scope: Scope | None = None,
              by: list[str] | None = None, source: str = "auto") -> list[MeasureRow]:
    """One SQL query: every needed sum per group, computed by the database — over the record totals
    when every measure is linear (``source="auto"``), else (or with ``source="records"``) over the records."""
    sums = sum_measures(rules, names)
    over_totals = source == "totals" or (source == "auto" and all(from_totals(rules.measure(n)) for n in sums))
    table = RecordTotal.__table__ if over_totals else records_table()
    group_cols = [table.c[BREAKDOWN_COLUMNS[g]].label(g) for g in by or []]
    columns: list[Any] = list(group_cols)
    # measures share most of their counts (savings and budget count the same records): each distinct
    # aggregate is computed once, which halves the work per row on the default rules
    distinct: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for name in sums:
        for prefix, aggregate_expr in zip("vnm", _selection(rules.measure(name), table, over_totals), strict=True):
            key = str(aggregate_expr.compile(engine, compile_kwargs={"literal_binds": True}))
            if key not in distinct:
                distinct[key] = f"a{len(distinct)}"
                columns.append(aggregate_expr.label(distinct[key]))
            aliases[f"{prefix}_{name}"] = distinct[key]
    query = select(*columns).select_from(table)
    if scope is not None:
        query = query.where(scope_condition(scope, table))
    if group_cols:
        query = query.group_by(*group_cols).order_by(*group_cols)
        if over_totals:  # a group whose records were all amended away (a renamed region) is no group
            query = query.having(func.sum(table.c.records) != 0)
    with engine.connect() as conn:
        result = conn.execute(query).mappings().all()
    rows = []
    for row in result:
        rows.append(MeasureRow({g: row[g] for g in by or []},
                               {n: int(row[aliases[f"v_{n}"]]) for n in sums},
                               {n: int(row[aliases[f"n_{n}"]]) for n in sums},
                               {n: int(row[aliases[f"m_{n}"]]) for n in sums}))
    return rows

