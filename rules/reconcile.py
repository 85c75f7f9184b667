"""Reconciliation: every published value against the ledger, within the published precision."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from ggzy.ledger.queries import Scope, records_table
from ggzy.money import FEN_PER_UNIT, fraction_str
from ggzy.rules.consistency import Check, check_consistency
from ggzy.rules.engine import RuleSet, aggregate
from ggzy.rules.published import Figure, PublishedFile, PublishedValue
from sqlalchemy import select
from sqlalchemy.engine import Engine


@dataclass
class Result:
    """One (figure, measure) comparison."""

    figure: int
    line: int
    measure: str
    scope: dict[str, Any]
    published: str
    unit: str
    ledger: str | None
    low: str
    high: str
    status: str  # ok | discrepancy
    difference: str | None
    records: int  # ledger records in the figure's scope
    missing_base: int  # records left out of the measure because a field it needs is empty
    records_command: str
    ledger_base: Fraction | None = None  # the ledger value in ledger terms (fen, ratio, count); not in JSON
    bounds_base: tuple[Fraction, Fraction] | None = None  # the published interval in the same terms

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("ledger_base", "bounds_base")}


@dataclass
class Reconciliation:
    published: PublishedFile
    results: list[Result] = field(default_factory=list)
    consistency: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, int]:
        return {"ok": sum(r.status == "ok" for r in self.results),
                "discrepancy": sum(r.status == "discrepancy" for r in self.results),
                "inconsistent": sum(c.status == "inconsistent" for c in self.consistency)}

    def as_json(self) -> dict[str, Any]:
        return {"results": [r.as_json() for r in self.results],
                "consistency": [c.as_json() for c in self.consistency],
                "summary": self.summary, "notes": self.notes}


def _display(value: Fraction, pv: PublishedValue) -> str:
    """A ledger value in the published unit, with enough decimals to see it against the figure."""
    if pv.kind == "count":
        return str(value)
    if pv.kind == "rate":
        return fraction_str(value * 100, pv.places + 2)
    if pv.kind == "number":  # an average, e.g. bidders per award
        return fraction_str(value, pv.places + 2)
    exact = value / FEN_PER_UNIT[pv.unit]
    places = {"元": 2, "万元": 6, "亿元": 10}[pv.unit]  # exact: a fen is 1e-2 元, 1e-6 万元, 1e-10 亿元
    whole, _, decimals = fraction_str(exact, places).partition(".")
    decimals = decimals.rstrip("0").ljust(pv.places, "0")  # at least as many decimals as published
    return f"{whole}.{decimals}" if decimals else whole


_PLAIN_WORD = re.compile(r"[^\s'\"\\$`!*?;&|<>(){}\[\]#~]+")  # needs no shell quoting (Chinese included)


def records_command(scope_text: dict[str, Any]) -> str:
    """The `ggzy records` call that lists the records behind a figure."""
    words = ["ggzy", "records", "--period", scope_text["period"]]
    for key in ("category", "subcategory", "region", "level", "method"):
        for value in scope_text.get(key, []):
            words += [f"--{key}", value]
    for key, values in scope_text.get("exclude", {}).items():
        for value in values:
            words += ["--exclude", f"{key}={value}"]
    return " ".join(w if _PLAIN_WORD.fullmatch(w) else shlex.quote(w) for w in words)


def ledger_regions(engine: Engine) -> set[str]:
    table = records_table()
    with engine.connect() as conn:
        return {r for (r,) in conn.execute(select(table.c.region).distinct()) if r}


def reconcile(engine: Engine, published: PublishedFile, rules: RuleSet) -> Reconciliation:
    outcome = Reconciliation(published)
    file_region = published.region
    if file_region and file_region not in ledger_regions(engine):
        outcome.notes.append(f"region {file_region!r} is not a region of the ledger: it is read as all regions")
        file_region = None
    for figure in published.figures:
        scope = figure.scope
        if file_region and scope.regions is None:
            scope = replace(scope, regions=(file_region,))
        outcome.results += _compare(engine, figure, scope, rules, file_region)
    outcome.consistency = check_consistency(published.figures, rules)
    return outcome


def _compare(engine: Engine, figure: Figure, scope: Scope, rules: RuleSet, file_region: str | None) -> list[Result]:
    names = list(figure.values)
    counted = "count" in rules.measures
    by_method = scope.methods is not None or any(e.methods is not None for e in scope.exclude)
    (row,) = aggregate(engine, rules, [*names, "count"] if counted else names, scope,
                       source="records" if by_method else "auto")  # record_total has no method column
    scope_text = dict(figure.scope_text)
    if file_region and "region" not in scope_text:
        scope_text["region"] = [file_region]
    results = []
    for name, pv in figure.values.items():
        measure = rules.measure(name)
        value = row.value(rules, name) if measure.ratio else row.sums[name]  # no records: a sum is 0
        low, high = pv.bounds()
        parts = measure.ratio or (name,)
        missing = max(row.missing[p] for p in parts)
        if value is None:
            status, ledger, difference = "discrepancy", None, None
        else:
            status = "ok" if pv.contains(value) else "discrepancy"
            ledger = _display(Fraction(value), pv)
            difference = _display(Fraction(value) - Fraction(pv.value) * pv.scale, pv)
        results.append(Result(
            figure=figure.index, line=figure.line, measure=name,
            scope={"period": scope_text["period"], "region": _one(scope_text.get("region")),
                   "category": _one(scope_text.get("category")), "subcategory": _one(scope_text.get("subcategory")),
                   **({"level": _one(scope_text["level"])} if "level" in scope_text else {}),
                   **({"method": _one(scope_text["method"])} if "method" in scope_text else {}),
                   **({"exclude": scope_text["exclude"]} if "exclude" in scope_text else {})},
            published=pv.text, unit=pv.unit, ledger=ledger, low=str(low), high=str(high), status=status,
            difference=difference, records=row.sums["count"] if counted else -1, missing_base=missing,
            records_command=records_command(scope_text),
            ledger_base=None if value is None else Fraction(value), bounds_base=pv.base_bounds()))
    return results


def _one(values: list[str] | None) -> str | list[str] | None:
    if not values:
        return None
    return values[0] if len(values) == 1 else values
