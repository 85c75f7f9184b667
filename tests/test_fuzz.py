"""Fuzzing with hypothesis. The parsers: any input ends in a value, a quarantine reason or a clear error (a
GgzyError / the parser's own ValueError that becomes a reason) — never another exception. (The ledger's state
machine of what a user can type, NothingLost, is tests/test_nothing_lost.py.)"""

from __future__ import annotations

import datetime as dt
import string
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml
from ggzy.errors import GgzyError
from ggzy.money import MoneyError, canonical_unit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# text that looks like what cells hold: digits, separators, units, Chinese, full-width forms, and noise
CELL_ALPHABET = (string.digits + ".,-+eE%/ 元万亿分年月日号時时：:()（）约余整零一二三四五六七八九十"
                 "０１２３４５６７８９．，\t\n\x00\u3000")
cells = st.one_of(st.text(alphabet=CELL_ALPHABET, max_size=30), st.text(max_size=30))


@FUZZ
@given(text=cells, unit=st.sampled_from(["元", "万元", "亿元"]))
def test_amounts(text: str, unit: str) -> None:
    from ggzy.values import parse_money

    try:
        fen = parse_money(text, unit)
    except MoneyError as exc:
        assert str(exc)  # a reason for the quarantine
    else:
        assert isinstance(fen, int) and fen >= 0


@FUZZ
@given(text=cells)
def test_dates(text: str) -> None:
    from ggzy.values import parse_date

    try:
        assert isinstance(parse_date(text), dt.date)
    except ValueError as exc:
        assert str(exc)


@FUZZ
@given(text=cells)
def test_counts_and_units(text: str) -> None:
    from ggzy.values import parse_count

    try:
        assert parse_count(text) >= 0
    except ValueError as exc:
        assert str(exc)
    try:
        assert canonical_unit(text) in ("分", "元", "万元", "亿元")
    except MoneyError as exc:
        assert str(exc)


@FUZZ
@given(text=cells)
def test_headers(text: str) -> None:
    from ggzy.imports.normalize import read_header

    read_header(text)  # a header cell is a field, a field with a unit, or unknown: never an exception


@FUZZ
@given(text=st.one_of(st.text(alphabet="0123456789-.QqHh年月季度第一二三四上下半 ", max_size=25), st.text(max_size=25)))
def test_periods_and_titles(text: str) -> None:
    from ggzy.periods import parse_period, title_months

    try:
        period = parse_period(text)
        assert period.months and all(len(m) == 7 for m in period.months)
    except GgzyError as exc:
        assert "2022-09" in str(exc)  # the message shows the accepted forms
    months = title_months(text)
    assert months is None or months[0] <= months[1]


def _load(loader: Callable[[Path], object], text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            loader(path)
        except GgzyError as exc:
            assert str(exc).startswith(str(path)) or str(path) in str(exc) or "expectation" in str(exc)


scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=12),
                    st.sampled_from(["22.91", "9.29%", "3063.40", "8.52+", "亿元", "万元", "政府采购", "工程建设",
                                     "集中采购", "2022Q3", "2022-07", "abs(budget - deal)", "savings / budget"]))
yaml_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(
        ["period", "unit", "region", "figures", "category", "subcategory", "count", "amount", "savings_rate",
         "exclude", "measures", "include", "sum", "ratio", "label", "statuses", "categories", "require",
         "expectations", "type", "kwargs", "severity", "id", "where", "level", "column", "title"]),
        inner, max_size=5)), max_leaves=15)


@FUZZ
@given(document=st.one_of(yaml_values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)), st.text(max_size=200)))
def test_published_figure_files(document: str) -> None:
    from ggzy.rules.engine import load_rules
    from ggzy.rules.published import load_published

    kinds = load_rules().kinds()
    _load(lambda path: load_published(path, kinds), document)


@FUZZ
@given(document=st.one_of(yaml_values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)), st.text(max_size=200)))
def test_rule_files(document: str) -> None:
    from ggzy.rules.engine import load_rules

    _load(load_rules, document)


@FUZZ
@given(document=st.one_of(yaml_values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)), st.text(max_size=200)))
def test_expectation_suite_files(document: str) -> None:
    from ggzy.rules.suites import load_suite

    _load(load_suite, document)


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=CELL_ALPHABET + "公共资源交易政府采购工程建设项目宗个亿元万元节约资金率。，；\n",
                    max_size=300))
def test_bulletin_text(text: str) -> None:
    from ggzy.bulletins.extract import extract

    extract(text, set())  # figures, figures to review, or none: never an exception


def test_an_include_that_is_not_one_file_is_a_clear_error(tmp_path: Path) -> None:
    """Found by the fuzzer: `include:` given a list crashed the rule and suite loaders."""
    from ggzy.rules.engine import load_rules
    from ggzy.rules.suites import load_suite
    from support import assert_error_at

    path = tmp_path / "rules.yaml"
    path.write_text("include:\n  - default.yaml\nmeasures: {}\n", encoding="utf-8")
    assert_error_at(load_rules, path, 1, "include: takes one file name")
    path.write_text("include: [record]\nexpectations: []\n", encoding="utf-8")
    assert_error_at(load_suite, path, 1, "include: takes one file name")
