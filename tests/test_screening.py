"""The screen (rules/screening.py) and Great Expectations agree: on random frames with nulls, NaN, infinities,
signed zeros and extreme integers, for every expectation type, argument and `where:` form the shipped suites
use (and more), the screen finds exactly the rows GX reports as unexpected, so "the screen passed" implies "GX
passes". GX itself runs in every example (no mocks), and it never raises on an expectation the screen reads."""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from ggzy.rules.screening import EXACT_INT, Screening, can_screen, screen
from ggzy.rules.suites import ExpectationSpec, Suite, load_suite, same_expectation
from ggzy.rules.validation import gx_results
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import GOOD, workbook

TEXT = ["deal", "failed", "land", "mining", "procurement", "construction", "", " deal", "Deal", "甲", "None", "nan"]
INTS = [0, 1, -1, 2, 3, 100, 300_000_000_000, 2**53, 2**53 + 1, -(2**53) - 1, 2**63 - 1, -(2**63)]
FLOATS = [0.0, -0.0, 0.5, 0.4999999999999999, 0.5000000000000001, 1.0, 3.0, 1000.0, 0.001, 1e-300, 1e308,
          math.inf, -math.inf, math.nan, 2.0**53, -3.5]
SCHEMA = {"s1": pl.String, "s2": pl.String, "i1": pl.Int64, "i2": pl.Int64, "f1": pl.Float64, "f2": pl.Float64,
          "d1": pl.Date}


def values(kind: str) -> st.SearchStrategy[Any]:
    if kind == "s":
        return st.one_of(st.none(), st.sampled_from(TEXT))
    if kind == "i":
        return st.one_of(st.none(), st.sampled_from(INTS), st.integers(-5, 5))
    if kind == "f":
        return st.one_of(st.none(), st.sampled_from(FLOATS), st.floats(-10, 10))
    return st.one_of(st.none(), st.dates(dt.date(1999, 1, 1), dt.date(2030, 12, 31)))


@st.composite
def frames(draw: st.DrawFn, schema: dict[str, Any] = SCHEMA) -> pl.DataFrame:
    rows = draw(st.integers(0, 14))
    kinds = {pl.String: "s", pl.Int64: "i", pl.Float64: "f", pl.Date: "d"}
    data = {name: draw(st.lists(values(kinds[dtype]), min_size=rows, max_size=rows)) for name, dtype in schema.items()}
    return pl.DataFrame(data, schema=schema)


def literal(kind: str) -> st.SearchStrategy[Any]:
    if kind == "s":
        return st.sampled_from(TEXT)
    if kind == "i":
        return st.one_of(st.sampled_from(INTS), st.integers(-5, 5))
    return st.one_of(st.sampled_from([f for f in FLOATS if math.isfinite(f)]), st.integers(-5, 5),
                     st.floats(-10, 10, allow_nan=False))


def text_of(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


@st.composite
def conditions(draw: st.DrawFn, depth: int = 0) -> str:
    """A where: condition of the forms the screen reads: comparisons and in / not in, and / or / not."""
    shape = draw(st.sampled_from(["compare", "compare", "in", "and", "or", "not"] if depth < 2 else ["compare", "in"]))
    if shape in ("and", "or"):
        return f"({draw(conditions(depth + 1))}) {shape} ({draw(conditions(depth + 1))})"
    if shape == "not":
        return f"not ({draw(conditions(depth + 1))})"
    column = draw(st.sampled_from(["s1", "s2", "i1", "i2", "f1", "f2"]))
    if shape == "in":
        items = draw(st.lists(literal(column[0]), min_size=1, max_size=3))
        listed = ", ".join(text_of(v) for v in items)
        bracket = draw(st.sampled_from(["[{}]", "({},)"]))
        return f"{column} {draw(st.sampled_from(['in', 'not in']))} {bracket.format(listed)}"
    op = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">="] if column[0] != "s" else ["==", "!="]))
    return f"{column} {op} {text_of(draw(literal(column[0])))}"


def bounds(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    bound = literal("i") if kind == "i" else literal("f")

    def arrange(pair: tuple[Any, Any]) -> dict[str, Any]:
        low, high = pair
        if low is not None and high is not None and low > high:
            low, high = high, low
        return {k: v for k, v in (("min_value", low), ("max_value", high)) if v is not None}

    return (st.tuples(st.one_of(st.none(), bound), st.one_of(st.none(), bound)).map(arrange)
            .filter(lambda b: bool(b)))


@st.composite
def specs(draw: st.DrawFn, index: int) -> ExpectationSpec:
    kind = draw(st.sampled_from(["not_null", "in_set", "between", "pair"]))
    flags = {}
    if kind == "not_null":
        type_, kwargs = "expect_column_values_to_not_be_null", {"column": draw(st.sampled_from(list(SCHEMA)))}
    elif kind == "in_set":
        column = draw(st.sampled_from(["s1", "s2", "i1", "i2"]))
        kwargs = {"column": column, "value_set": draw(st.lists(literal(column[0]), min_size=1, max_size=4,
                                                                unique_by=repr))}
        type_ = "expect_column_values_to_be_in_set"
    elif kind == "between":
        column = draw(st.sampled_from(["i1", "i2", "f1", "f2"]))
        kwargs = {"column": column, **draw(bounds(column[0]))}
        flags = {f: draw(st.booleans()) for f in ("strict_min", "strict_max") if draw(st.booleans())}
        type_ = "expect_column_values_to_be_between"
    else:
        a, b = draw(st.permutations(["i1", "i2", "f1", "f2"]))[:2]
        kwargs = {"column_A": a, "column_B": b, "ignore_row_if": "either_value_is_missing"}
        flags = {"or_equal": draw(st.booleans())} if draw(st.booleans()) else {}
        type_ = "expect_column_pair_values_a_to_be_greater_than_b"
    where = draw(st.one_of(st.none(), conditions()))
    return ExpectationSpec(f"e{index}", f"e{index}", "error", type_, {**kwargs, **flags}, where, "test")


def gx_unexpected(frame: pl.DataFrame, suite: Suite) -> dict[str, list[int]]:
    """GX's verdict per expectation: the positions of the rows it reports (empty when it passes)."""
    verdict = {}
    for result in gx_results(frame, suite):
        spec_id = result.expectation_config.meta["ggzy_id"]
        assert not (result.exception_info or {}).get("raised_exception"), (spec_id, result.exception_info)
        rows = sorted(int(i) for i in result.result.get("unexpected_index_list") or [])
        assert bool(result.success) == (not rows), (spec_id, result.success, rows)
        verdict[spec_id] = rows
    return verdict


def beyond_exact_integers(frame: pl.DataFrame, suite: Suite) -> bool:
    """Whether an order comparison of the suite meets an integer GX compares through floats (beyond ±2**53)."""
    for spec in suite.specs:
        if spec.type == "expect_column_values_to_be_between":
            names = [spec.kwargs["column"]]
            if any(isinstance(b, int) and abs(b) > EXACT_INT for b in (spec.kwargs.get("min_value"),
                                                                         spec.kwargs.get("max_value"))):
                return True
        elif spec.type == "expect_column_pair_values_a_to_be_greater_than_b":
            names = [spec.kwargs["column_A"], spec.kwargs["column_B"]]
        else:
            continue
        for name in names:
            if frame.schema.get(name) == pl.Int64 and any(abs(v) > EXACT_INT for v in frame[name].drop_nulls()):
                return True
    return False


def assert_agree(frame: pl.DataFrame, suite: Suite) -> Screening:
    screened = screen(frame, suite)
    if screened.unexpected is None and beyond_exact_integers(frame, suite):
        gx_unexpected(frame, suite)  # the screen hands such a frame to GX, which must still run
        return screened
    assert screened.unexpected is not None, "the screen declined a form it is meant to read"
    if frame.height:
        assert screened.unexpected == gx_unexpected(frame, suite), [s.__dict__ for s in suite.specs]
    return screened


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(frame=frames(), suite_specs=st.integers(1, 4).flatmap(
    lambda n: st.tuples(*(specs(i) for i in range(n)))))
def test_screen_and_gx_agree_on_random_expectations(frame: pl.DataFrame,
                                                    suite_specs: tuple[ExpectationSpec, ...]) -> None:
    distinct: list[ExpectationSpec] = []  # a suite file refuses repeats, as GX holds them (defaults included)
    for spec in suite_specs:
        if not any(same_expectation(spec, kept) for kept in distinct):
            distinct.append(spec)
    suite = Suite("random", "record", distinct)
    assert can_screen(suite)
    assert_agree(frame, suite)


RECORD_SCHEMA = {"project_code": pl.String, "category": pl.String, "status": pl.String, "trade_date": pl.Date,
                 "deal_fen": pl.Int64, "budget_fen": pl.Int64, "control_price_fen": pl.Int64, "reserve_fen": pl.Int64,
                 "key_occurrences": pl.Int64, "savings_rate": pl.Float64, "premium_rate": pl.Float64,
                 "months_outside_title": pl.Int64}
LEDGER_SCHEMA = {"category": pl.String, "deals": pl.Int64, "deals_with_base": pl.Int64, "scale_ratio": pl.Float64}


@st.composite
def shipped_frames(draw: st.DrawFn, schema: dict[str, Any]) -> pl.DataFrame:
    """Frames with the shipped suites' columns; text drawn mostly from the values the suites name."""
    rows = draw(st.integers(1, 14))
    words = ["construction", "procurement", "land", "mining", "property", "other", "deal", "failed", "terminated",
             "suspended", "unknown", "", "P-1"]
    columns: dict[str, list[Any]] = {}
    for name, dtype in schema.items():
        if dtype == pl.String:
            strategy = st.one_of(st.none(), st.sampled_from(words))
        elif dtype == pl.Int64:
            strategy = values("i")
        else:
            strategy = values("f") if dtype == pl.Float64 else values("d")
        columns[name] = draw(st.lists(strategy, min_size=rows, max_size=rows))
    return pl.DataFrame(columns, schema=schema)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=shipped_frames(RECORD_SCHEMA))
def test_screen_and_gx_agree_on_the_shipped_record_suite(frame: pl.DataFrame) -> None:
    suite = load_suite(level="record")
    assert can_screen(suite)
    assert_agree(frame, suite)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=shipped_frames(LEDGER_SCHEMA))
def test_screen_and_gx_agree_on_the_shipped_ledger_suite(frame: pl.DataFrame) -> None:
    suite = load_suite(level="ledger")
    assert can_screen(suite)
    assert_agree(frame, suite)


def test_an_order_comparison_beyond_exact_integers_is_left_to_gx() -> None:
    """Found by the property test: GX passed -(2**53)-1 < -(2**53)-1 (it compares such integers through
    floats); the screen, exact, found the row. It now hands such a frame to GX instead of disagreeing."""
    edge = -(2**53) - 1
    suite = Suite("edge", "record", [ExpectationSpec("e0", "e0", "error", "expect_column_values_to_be_between",
                                                     {"column": "i1", "max_value": edge, "strict_max": True})])
    frame = pl.DataFrame({"i1": [None, edge]}, schema={"i1": pl.Int64})
    assert screen(frame, suite).unexpected is None
    assert gx_unexpected(frame, suite) == {"e0": []}  # what GX says, and what the import then reports
    exact = Suite("exact", "record", [ExpectationSpec("e0", "e0", "error", "expect_column_values_to_be_between",
                                                      {"column": "i1", "max_value": -(2**53), "strict_max": True})])
    within = pl.DataFrame({"i1": [None, 2**53, -(2**53), -(2**53) + 1]}, schema={"i1": pl.Int64})
    assert screen(within, exact).unexpected == {"e0": [1, 2, 3]} == gx_unexpected(within, exact)


def test_a_passing_frame_passes_and_a_failing_row_is_found() -> None:
    """The two outcomes the import relies on, on a plain frame (and the same as GX says)."""
    suite = load_suite(level="record")
    good = pl.DataFrame({"project_code": ["P1", "P2"], "category": ["procurement", "land"], "status": ["deal"] * 2,
                         "trade_date": [dt.date(2022, 7, 1)] * 2, "deal_fen": [90, 120], "budget_fen": [100, None],
                         "control_price_fen": [None, None], "reserve_fen": [None, 100], "key_occurrences": [1, 1],
                         "savings_rate": [0.1, None], "premium_rate": [None, 0.2], "months_outside_title": [0, 0]},
                        schema=RECORD_SCHEMA)
    assert assert_agree(good, suite).passed
    bad = good.with_columns(deal_fen=pl.Series([110, 120]))  # the purchase went over its budget
    screened = assert_agree(bad, suite)
    assert not screened.passed and screened.unexpected is not None
    assert screened.unexpected["procurement_within_budget"] == [0]


@pytest.mark.parametrize(("type_", "kwargs", "where"), [
    ("expect_column_values_to_be_unique", {"column": "i1"}, None),                    # a type it does not read
    ("expect_column_values_to_be_between", {"column": "i1", "min_value": 0.5}, None),  # float bound, int column
    ("expect_column_values_to_be_between", {"column": "i1", "min_value": 0, "mostly": 0.9}, None),
    ("expect_column_values_to_be_between", {"column": "s1", "min_value": "a"}, None),  # text between
    ("expect_column_values_to_be_between", {"column": "i1", "min_value": 5, "max_value": 1}, None),
    ("expect_column_values_to_be_between", {"column": "i1"}, None),                     # no bound
    ("expect_column_values_to_be_in_set", {"column": "s1", "value_set": []}, None),
    ("expect_column_values_to_be_in_set", {"column": "s1", "value_set": ["a", 1]}, None),
    ("expect_column_pair_values_a_to_be_greater_than_b", {"column_A": "i1", "column_B": "i2"}, None),
    ("expect_column_values_to_not_be_null", {"column": "i1"}, "s1 < \"b\""),          # ordering of text
    ("expect_column_values_to_not_be_null", {"column": "i1"}, "i1 == 1.5"),           # float literal, int column
    ("expect_column_values_to_not_be_null", {"column": "i1"}, "s1 == None"),
    ("expect_column_values_to_not_be_null", {"column": "i1"}, "nosuch == 1"),
    ("expect_column_values_to_not_be_null", {"column": "i1"}, "1 < i1 < 3"),
    ("expect_column_values_to_not_be_null", {"column": "i1"}, "d1 == 1"),
])
def test_the_screen_declines_what_it_does_not_read_as_gx_does(type_: str, kwargs: dict[str, Any],
                                                               where: str | None) -> None:
    frame = pl.DataFrame({"s1": ["a"], "i1": [1], "i2": [2], "d1": [dt.date(2022, 1, 1)]},
                         schema={"s1": pl.String, "i1": pl.Int64, "i2": pl.Int64, "d1": pl.Date})
    suite = Suite("s", "record", [ExpectationSpec("x", "x", "error", type_, kwargs, where, "test")])
    assert screen(frame, suite).unexpected is None
    assert not screen(frame, suite).passed


IMPORT_PROBE = """
import io, json, sys, contextlib
from ggzy.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        main(["--db", sys.argv[1], "--user", "tester", "import", "--format", "json", sys.argv[2]])
    except SystemExit as stop:
        code = stop.code
print(json.dumps({"exit": code, "gx": "great_expectations" in sys.modules, "import": json.loads(out.getvalue())}))
"""


def import_in_fresh_process(url: str, path: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", IMPORT_PROBE, url, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_an_import_runs_gx_only_for_a_file_that_fails_and_reports_gx_result(ledger_url: str, tmp_path: Path) -> None:
    clean = import_in_fresh_process(ledger_url, workbook(tmp_path / "clean.xlsx", GOOD))
    assert clean["exit"] == 0 and clean["import"]["findings"] == [] and clean["import"]["files"][0]["posted"] == 3
    assert not clean["gx"], "a file whose records all pass needs no Great Expectations"
    over = ["政府采购", "集中采购", "CG-OVER", "01", "打印机", "市本级", "成交", 100000, 120000, dt.date(2022, 7, 8)]
    failing = import_in_fresh_process(ledger_url, workbook(tmp_path / "over.xlsx", [over]))
    assert failing["gx"] and failing["exit"] == 1
    (finding,) = failing["import"]["findings"]
    assert finding["expectation"] == "procurement_within_budget" and finding["unexpected_count"] == 1
    assert [r["project_code"] for r in finding["records"]] == ["CG-OVER"]
    assert failing["import"]["files"][0]["posted"] == 1  # posted and reported, never quarantined
