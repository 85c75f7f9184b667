"""Published figures checked against each other with interval arithmetic.

Each figure's scope becomes a set of cells (category × subcategory × region × month). A figure whose
cells are split exactly by other figures must equal their sum within the combined rounding; one only
partly covered must be at least their sum. Rates are checked against the amounts they are made of.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import product

from ggzy.ledger.queries import Scope
from ggzy.money import fraction_str
from ggzy.rules.engine import RuleSet
from ggzy.rules.published import NON_NEGATIVE, RATE_MEASURES, Figure, PublishedValue
from ggzy.vocab import vocabulary

Cell = tuple[str, str, str, str]
OTHER_REGION = "*"  # stands for every region no figure names


@dataclass
class Check:
    figures: list[int]
    measure: str
    status: str  # ok | inconsistent
    detail: str

    def as_json(self) -> dict[str, object]:
        return {"figures": self.figures, "measure": self.measure, "status": self.status, "detail": self.detail}


def _universe(figures: list[Figure]) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """The cells: (category, subcategory) pairs × the regions figures name and the rest × the months. A category
    whose subcategories do not make it up whole (其他交易: a record may be of no listed kind) has a cell '' for
    its records of no subcategory, so its named kinds never add up to all of it."""
    vocab = vocabulary()
    pairs = [(c, s) for c, subs in vocab.subcategories.items()
             for s in (subs if c in vocab.exhaustive else [*subs, ""])]
    regions = sorted({r for f in figures for s in (f.scope, *f.scope.exclude) for r in s.regions or ()})
    months = sorted({m for f in figures for m in f.scope.months or ()})
    return pairs, [*regions, OTHER_REGION], months or ["*"]


def _matches(scope: Scope, cell: Cell) -> bool:
    category, sub, region, month = cell
    if scope.categories is not None and category not in scope.categories:
        return False
    if scope.subcategories is not None and sub not in scope.subcategories:
        return False
    if scope.regions is not None and region not in scope.regions:
        return False
    if scope.months is not None and month not in scope.months:
        return False
    return not any(_matches(excluded, cell) for excluded in scope.exclude)


def cells_of(scope: Scope, universe: tuple[list[tuple[str, str]], list[str], list[str]]) -> frozenset[Cell]:
    pairs, regions, months = universe
    return frozenset(cell for (c, s), r, m in product(pairs, regions, months)
                     if _matches(scope, cell := (c, s, r, m)))


def _fmt(value: Fraction, pv: PublishedValue) -> str:
    """A base-unit bound shown in the published unit, for the detail text."""
    return fraction_str(value / pv.scale, pv.places + 3 if not pv.exact else 0)


def _sum_check(total: Figure, parts: list[Figure], measure: str, covered: bool) -> Check | None:
    pv = total.values[measure]
    if not covered and measure not in NON_NEGATIVE:
        return None
    low = sum((p.values[measure].base_bounds()[0] for p in parts), Fraction(0))
    high = sum((p.values[measure].base_bounds()[1] for p in parts), Fraction(0))
    t_low, t_high = pv.base_bounds()
    ids = [total.index, *(p.index for p in parts)]
    parts_text = " + ".join(p.values[measure].text for p in parts)
    if covered:
        ok = low <= t_high and t_low <= high
        relation = "="
    else:
        ok = low <= t_high
        relation = "≥ (parts do not cover the whole)"
    detail = (f"figure {total.index} {measure} {pv.text} {relation} {parts_text}: parts lie in "
              f"[{_fmt(low, pv)}, {_fmt(high, pv)}], the total in [{_fmt(t_low, pv)}, {_fmt(t_high, pv)}]")
    return Check(ids, measure, "ok" if ok else "inconsistent", detail)


def _interval_ratio(num: tuple[Fraction, Fraction], den: tuple[Fraction, Fraction]) -> tuple[Fraction, Fraction]:
    if den[0] <= 0:
        return Fraction(-10**9), Fraction(10**9)
    candidates = [num[0] / den[0], num[0] / den[1], num[1] / den[0], num[1] / den[1]]
    return min(candidates), max(candidates)


def check_consistency(figures: list[Figure], rules: RuleSet) -> list[Check]:
    """Every relation between published figures that can be checked, ok or not."""
    universe = _universe(figures)
    cells = {f.index: cells_of(f.scope, universe) for f in figures}
    checks: list[Check] = []
    measures = dict.fromkeys(m for f in figures for m in f.values)
    for measure in measures:
        if measure in RATE_MEASURES:
            continue
        having = [f for f in figures if measure in f.values and cells[f.index]]
        for total in having:
            inside = [f for f in having if cells[f.index] < cells[total.index]]
            maximal, seen = [], set()
            for f in inside:
                if any(cells[f.index] < cells[g.index] for g in inside) or cells[f.index] in seen:
                    continue
                seen.add(cells[f.index])
                maximal.append(f)
            if not maximal:
                continue
            union: set[Cell] = set()
            disjoint = True
            for f in maximal:
                disjoint &= not (union & cells[f.index])
                union |= cells[f.index]
            if disjoint and (check := _sum_check(total, maximal, measure, union == cells[total.index])):
                checks.append(check)
    checks += _repeated(figures, cells)
    checks += _rate_checks(figures, cells, rules)
    return checks


def _repeated(figures: list[Figure], cells: dict[int, frozenset[Cell]]) -> list[Check]:
    """A value published twice for one scope and period (a bulletin's text and its table, a figure copied into
    the file twice): the two must agree within their precision, else one of them is wrong."""
    seen: dict[tuple[frozenset[Cell], str], Figure] = {}
    checks = []
    for f in figures:
        for measure, pv in f.values.items():
            if not cells[f.index]:
                continue
            first = seen.setdefault((cells[f.index], measure), f)
            if first is f:
                continue
            before = first.values[measure]
            (low, high), (b_low, b_high) = pv.base_bounds(), before.base_bounds()
            ok = max(low, b_low) <= min(high, b_high)
            checks.append(Check([first.index, f.index], measure, "ok" if ok else "inconsistent",
                                f"figure {f.index} {measure} {pv.text} repeats the scope of figure {first.index} "
                                f"{measure} {before.text}: [{_fmt(low, pv)}, {_fmt(high, pv)}] against "
                                f"[{_fmt(b_low, before)}, {_fmt(b_high, before)}]"))
    return checks


def _rate_checks(figures: list[Figure], cells: dict[int, frozenset[Cell]], rules: RuleSet) -> list[Check]:
    """Within one scope (possibly spread over several figures): savings = budget − amount,
    premium = amount − reserve, and each published rate against its numerator and denominator."""
    by_scope: dict[frozenset[Cell], dict[str, tuple[Figure, PublishedValue]]] = {}
    for f in figures:
        for measure, value in f.values.items():
            by_scope.setdefault(cells[f.index], {}).setdefault(measure, (f, value))
    checks = []
    differences = {"savings": ("budget", "amount", "budget - deal"), "premium": ("amount", "reserve", "deal - reserve")}
    for values in by_scope.values():
        bounds = {m: pv.base_bounds() for m, (_, pv) in values.items()}
        for result, (left, right, expr) in differences.items():
            spec = rules.measures.get(result)
            if not (spec and spec.sum and spec.sum.expr.replace(" ", "") == expr.replace(" ", "")):
                continue
            if {result, left, right} <= set(values):
                low = bounds[left][0] - bounds[right][1]
                high = bounds[left][1] - bounds[right][0]
                ok = low <= bounds[result][1] and bounds[result][0] <= high
                pv = values[result][1]
                checks.append(Check(sorted({values[m][0].index for m in (result, left, right)}), result,
                                    "ok" if ok else "inconsistent",
                                    f"{result} {pv.text} against {left} {values[left][1].text} − {right} "
                                    f"{values[right][1].text} = [{_fmt(low, pv)}, {_fmt(high, pv)}]"))
        for rate in RATE_MEASURES:
            spec = rules.measures.get(rate)
            if rate not in values or not spec or not spec.ratio:
                continue
            num, den = spec.ratio
            if {num, den} <= set(values):
                low, high = _interval_ratio(bounds[num], bounds[den])
                r_low, r_high = bounds[rate]
                ok = low <= r_high and r_low <= high
                checks.append(Check(sorted({values[m][0].index for m in (rate, num, den)}), rate,
                                    "ok" if ok else "inconsistent",
                                    f"{rate} {values[rate][1].text} against {num} {values[num][1].text} / {den} "
                                    f"{values[den][1].text} = [{fraction_str(low * 100, 3)}%, "
                                    f"{fraction_str(high * 100, 3)}%]"))
    return checks
