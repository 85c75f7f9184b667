"""Screening a suite on the polars frame: the record suite's expectation types evaluated exactly as Great
Expectations evaluates them on its pandas frame, so that an import whose records all pass needs no GX at all.

Great Expectations stays the engine of record. Screening only answers "does every expectation pass?": when it
says yes, GX would have said yes (tests/test_screening.py checks that GX and the screen agree on pass/fail and
on the failing rows over random frames with nulls, NaN, infinities and extreme integers, for every expectation
type, argument and ``where:`` form the shipped suites use); when any expectation fails, or when the screen is
not sure it reads an expectation as GX does, GX validates the batch and its result is what is reported.

What the screen reads (anything else declines, and GX runs):
- ``expect_column_values_to_not_be_null`` {column} on Int64, Float64 (NaN counts as null, as in pandas), String,
  Date columns;
- ``expect_column_values_to_be_in_set`` {column, value_set} on a String column with a non-empty list of text,
  or an Int64 column with a non-empty list of integers; nulls are not checked (GX's column-map domain);
- ``expect_column_values_to_be_between`` {column, min_value, max_value, strict_min, strict_max} on Int64
  (integer bounds) or Float64 (integer or finite float bounds) columns; nulls and NaN are not checked;
- ``expect_column_pair_values_a_to_be_greater_than_b`` {column_A, column_B, or_equal, ignore_row_if:
  either_value_is_missing} on two Int64/Float64 columns;
- ``where:`` conditions (pandas ``DataFrame.query``) built from ``column OP literal`` with OP in ==, != (and <,
  <=, >, >= on numbers), and ``column in/not in [literals]``, joined by and / or / not. pandas' rules for a
  missing value are kept per column type: text and float columns compare as False (``!=`` and ``not in`` as
  True), nullable integer columns give NA, combined in three-valued logic; a row whose condition is NA is left
  out.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl
from ggzy.rules.suites import ExpectationSpec, Suite

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
#: beyond ±2**53 GX compares integers through floats (found by tests/test_screening.py: it passes
#: -(2**53)-1 < -(2**53)-1), so an order comparison there is GX's to make. Fen never come near: 2**53 fen is
#: ninety thousand billion 元.
EXACT_INT = 2**53
ANY_NULL_TYPES = (pl.Int64, pl.Float64, pl.String, pl.Date)
NUMERIC = (pl.Int64, pl.Float64)


class Declined(Exception):  # not an error: the screen hands the expectation to GX
    """The screen does not read this expectation (or this frame's column) exactly as GX does."""


@dataclass
class Screening:
    """Per expectation id, the positions of the rows it finds unexpected; None when the screen declined."""

    unexpected: dict[str, list[int]] | None

    @property
    def passed(self) -> bool:
        """True only when the screen read every expectation and none found a row."""
        return self.unexpected is not None and not any(self.unexpected.values())


def screen(frame: pl.DataFrame, suite: Suite) -> Screening:
    """Evaluate every expectation of ``suite`` on ``frame``; declines (unexpected=None) on the first one it
    does not read exactly as GX would."""
    try:
        flags = [_unexpected(spec, frame).alias(spec.id) for spec in suite.specs]
    except Declined:
        return Screening(None)
    if not flags:
        return Screening({})
    found = frame.lazy().select(flags).collect()
    positions = {}
    for spec in suite.specs:
        column = found[spec.id]
        positions[spec.id] = column.arg_true().to_list() if column.any() else []
    return Screening(positions)


def can_screen(suite: Suite) -> bool:
    """Whether the screen reads every expectation's type and arguments (the frame's types are checked later)."""
    return all(spec.type in _RULES and _arguments_fit(spec) for spec in suite.specs)


# --- expectation types ---------------------------------------------------------------------------------------

def _column(frame: pl.DataFrame, name: Any, types: tuple[Any, ...]) -> pl.Expr:
    if not isinstance(name, str) or name not in frame.columns or frame.schema[name] not in types:
        raise Declined
    return pl.col(name)


def _missing(frame: pl.DataFrame, name: str) -> pl.Expr:
    """pandas' isnull on the column as GX receives it: null, or NaN in a float column."""
    column = pl.col(name)
    return column.is_null() | column.is_nan() if frame.schema[name] == pl.Float64 else column.is_null()


def _not_null(spec: ExpectationSpec, frame: pl.DataFrame) -> pl.Expr:
    _column(frame, spec.kwargs["column"], ANY_NULL_TYPES)
    return _missing(frame, spec.kwargs["column"])


def _in_set(spec: ExpectationSpec, frame: pl.DataFrame) -> pl.Expr:
    name, values = spec.kwargs["column"], spec.kwargs["value_set"]
    column = _column(frame, name, (pl.String, pl.Int64))
    wanted = str if frame.schema[name] == pl.String else int
    if not isinstance(values, list) or not values or not all(_is(v, wanted) for v in values):
        raise Declined
    if wanted is int and not all(INT64_MIN <= v <= INT64_MAX for v in values):
        raise Declined
    return ~_missing(frame, name) & ~column.is_in(pl.Series(values, dtype=frame.schema[name]))


def _ordered_exactly(frame: pl.DataFrame, *names: str) -> None:
    """Declines an order comparison on an integer column holding a value GX would compare inexactly."""
    for name in names:
        if frame.schema[name] == pl.Int64 and not frame[name].is_between(-EXACT_INT, EXACT_INT).fill_null(True).all():
            raise Declined


def _between(spec: ExpectationSpec, frame: pl.DataFrame) -> pl.Expr:
    kwargs = spec.kwargs
    name, low, high = kwargs["column"], kwargs.get("min_value"), kwargs.get("max_value")
    column = _column(frame, name, NUMERIC)
    bounds = [b for b in (low, high) if b is not None]
    if not bounds or any(not _numeric_bound(b, frame.schema[name]) for b in bounds):
        raise Declined
    if frame.schema[name] == pl.Int64 and any(abs(b) > EXACT_INT for b in bounds):
        raise Declined
    _ordered_exactly(frame, name)
    if low is not None and high is not None and low > high:
        raise Declined  # GX raises ValueError: the suite is wrong, GX says so
    inside = pl.lit(True)
    if low is not None:
        inside = inside & (column > low if kwargs.get("strict_min") else column >= low)
    if high is not None:
        inside = inside & (column < high if kwargs.get("strict_max") else column <= high)
    return ~_missing(frame, name) & ~inside


def _a_greater_than_b(spec: ExpectationSpec, frame: pl.DataFrame) -> pl.Expr:
    kwargs = spec.kwargs
    if kwargs.get("ignore_row_if") != "either_value_is_missing":
        raise Declined  # GX's other modes compare a missing value; not screened
    a = _column(frame, kwargs["column_A"], NUMERIC)
    b = _column(frame, kwargs["column_B"], NUMERIC)
    _ordered_exactly(frame, kwargs["column_A"], kwargs["column_B"])
    present = ~_missing(frame, kwargs["column_A"]) & ~_missing(frame, kwargs["column_B"])
    return present & ~(a >= b if kwargs.get("or_equal") else a > b)


def _is(value: Any, kind: type) -> bool:
    return isinstance(value, kind) and not isinstance(value, bool)


def _numeric_bound(value: Any, dtype: Any) -> bool:
    """An integer bound within int64 for an Int64 column (GX compares Python ints exactly; a float bound would
    be compared inexactly by polars); an integer or finite float for a Float64 column."""
    if _is(value, int):
        return INT64_MIN <= value <= INT64_MAX
    return dtype == pl.Float64 and _is(value, float) and math.isfinite(value)


Rule = Callable[[ExpectationSpec, pl.DataFrame], pl.Expr]
#: expectation type → (how the screen reads it, arguments it requires, arguments it may have)
_RULES: dict[str, tuple[Rule, frozenset[str], frozenset[str]]] = {
    "expect_column_values_to_not_be_null": (_not_null, frozenset({"column"}), frozenset()),
    "expect_column_values_to_be_in_set": (_in_set, frozenset({"column", "value_set"}), frozenset()),
    "expect_column_values_to_be_between": (_between, frozenset({"column"}),
                                           frozenset({"min_value", "max_value", "strict_min", "strict_max"})),
    "expect_column_pair_values_a_to_be_greater_than_b": (_a_greater_than_b, frozenset({"column_A", "column_B"}),
                                                         frozenset({"or_equal", "ignore_row_if"})),
}
_FLAGS = ("strict_min", "strict_max", "or_equal")


def _arguments_fit(spec: ExpectationSpec) -> bool:
    _rule, required, optional = _RULES[spec.type]
    given = set(spec.kwargs)
    flags_ok = all(isinstance(spec.kwargs[f], bool) for f in _FLAGS if f in given)
    return required <= given and given <= required | optional and flags_ok


def _unexpected(spec: ExpectationSpec, frame: pl.DataFrame) -> pl.Expr:
    """A boolean column, never null: True on the rows GX reports as unexpected."""
    if spec.type not in _RULES or not _arguments_fit(spec):
        raise Declined
    flags = _RULES[spec.type][0](spec, frame)
    if spec.where:
        flags = _condition(spec.where, frame).fill_null(False) & flags
    return flags.fill_null(False)


# --- where: as pandas' DataFrame.query evaluates it --------------------------------------------------------

_ORDER: dict[type, Callable[[pl.Expr, Any], pl.Expr]] = {
    ast.Eq: lambda c, v: c == v, ast.NotEq: lambda c, v: c != v, ast.Lt: lambda c, v: c < v,
    ast.LtE: lambda c, v: c <= v, ast.Gt: lambda c, v: c > v, ast.GtE: lambda c, v: c >= v,
}
#: the value pandas gives a comparison with a missing text or float value (numpy semantics: NaN compares False)
_ON_MISSING = {ast.Eq: False, ast.NotEq: True, ast.Lt: False, ast.LtE: False, ast.Gt: False, ast.GtE: False,
               ast.In: False, ast.NotIn: True}


def _condition(text: str, frame: pl.DataFrame) -> pl.Expr:
    try:
        tree = ast.parse(text.replace("\n", " "), mode="eval").body
    except SyntaxError:
        raise Declined from None
    return _node(tree, frame)


def _node(node: ast.AST, frame: pl.DataFrame) -> pl.Expr:
    if isinstance(node, ast.BoolOp):
        parts = [_node(value, frame) for value in node.values]
        combined = parts[0]
        for part in parts[1:]:
            combined = combined & part if isinstance(node.op, ast.And) else combined | part
        return combined
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return ~_node(node.operand, frame)
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.left, ast.Name):
        return _comparison(node.left.id, node.ops[0], node.comparators[0], frame)
    raise Declined


def _literal(node: ast.AST) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
        value = node.operand.value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return -value
    raise Declined


def _comparison(name: str, op: ast.cmpop, right: ast.AST, frame: pl.DataFrame) -> pl.Expr:
    if name == "index" or name not in frame.columns or frame.schema[name] not in (pl.String, *NUMERIC):
        raise Declined
    dtype = frame.schema[name]
    column = pl.col(name)
    if isinstance(op, ast.In | ast.NotIn):
        if not isinstance(right, ast.List | ast.Tuple):
            raise Declined
        values = [_literal(element) for element in right.elts]
        if not values or not all(_fits(v, dtype) for v in values):
            raise Declined
        found = column.is_in(pl.Series(values, dtype=dtype))
        if dtype == pl.Int64:  # pandas isin: a missing value is in no list, whatever the column's type
            found = found.fill_null(False)
        compared = ~found if isinstance(op, ast.NotIn) else found
    elif type(op) in _ORDER and (dtype != pl.String or isinstance(op, ast.Eq | ast.NotEq)):  # text: no ordering
        value = _literal(right)
        if not _fits(value, dtype):
            raise Declined
        compared = _ORDER[type(op)](column, value)
        if dtype == pl.Int64:
            return compared  # nullable integers: NA, three-valued logic, a row whose condition is NA left out
    else:
        raise Declined
    if dtype == pl.Int64:
        return compared
    return pl.when(_missing(frame, name)).then(pl.lit(_ON_MISSING[type(op)])).otherwise(compared)


def _fits(value: Any, dtype: Any) -> bool:
    """A literal the screen compares as pandas does: text with text, integers with integers, numbers with
    floats (never across kinds, never None, booleans, NaN or infinities)."""
    if dtype == pl.String:
        return isinstance(value, str)
    if dtype == pl.Int64:
        return _is(value, int) and INT64_MIN <= value <= INT64_MAX
    return (_is(value, int) and abs(value) <= 2**53) or (_is(value, float) and math.isfinite(value))
