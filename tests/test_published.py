"""Published-figure files: precision as written, intervals, errors with file:line."""

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from ggzy.rules.published import load_published, parse_value
from hypothesis import assume, given
from hypothesis import strategies as st
from support import assert_error_at


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "published.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_precision_is_kept_as_written(tmp_path: Path) -> None:
    path = write(tmp_path, "period: 2022Q3\nunit: 亿元\nfigures:\n"
                 "  - {category: 政府采购, subcategory: 集中采购, unit: 万元, amount: 3063.40, count: 21}\n"
                 "  - {category: 工程建设, amount: 22.91, savings_rate: 9.29%}\n")
    published = load_published(path)
    amount = published.figures[0].values["amount"]
    assert (amount.value, amount.places, amount.unit) == (Decimal("3063.40"), 2, "万元")
    assert amount.bounds() == (Decimal("3063.395"), Decimal("3063.405"))
    assert published.figures[1].values["amount"].bounds() == (Decimal("22.905"), Decimal("22.915"))
    rate = published.figures[1].values["savings_rate"]
    assert rate.base_bounds() == (Fraction(9285, 100000), Fraction(9295, 100000))
    assert published.figures[0].line == 4 and published.figures[1].line == 5


def test_truncated_value_and_exact_count() -> None:
    yu = parse_value("8.52+", "amount", "亿元", "x")  # 8.52亿余元
    assert yu.bounds() == (Decimal("8.52"), Decimal("8.53"))
    count = parse_value("70", "count", "亿元", "x")
    assert count.contains(70) and not count.contains(69) and not count.contains(71)
    nothing = parse_value("0", "amount", "亿元", "x")  # a table's bare 0: nothing traded, not a rounded value
    assert nothing.contains(0) and not nothing.contains(1)
    assert parse_value("0.00", "amount", "亿元", "x").contains(49_999_999)  # 0.00亿 is rounded: < 0.005亿


@given(st.integers(min_value=0, max_value=10**13), st.integers(min_value=0, max_value=4))
def test_interval_accepts_exactly_what_rounds_to_the_figure(ledger_fen: int, places: int) -> None:
    """Any ledger sum that rounds (half-up) to the published text is ok; any other is flagged."""
    exact = Decimal(ledger_fen) / 10**10  # in 亿元
    text = str(exact.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP"))
    assume(text != "0")  # a bare 0 means nothing traded (exact), tested above
    value = parse_value(text, "amount", "亿元", "x")
    assert value.contains(ledger_fen)
    step = 10**10 // 10**places
    half = step // 2
    low = int(Decimal(text) * 10**10) - half
    assert not value.contains(low - 1) or low - 1 < 0
    assert not value.contains(low + step)


@pytest.mark.parametrize(("body", "line", "message"), [
    ("period: 2022Q3\nfigures:\n  - {category: 工程建设, count: 2.5}\n", 3, "whole number"),
    ("period: 2022Q3\nfigures:\n  - {category: 工程建设, savings_rate: 9.29}\n", 3, "needs a % sign"),
    ("period: 2022Q3\nfigures:\n  - {category: 不存在, count: 1}\n", 3, "unknown category"),
    ("period: 2022Q3\nfigures:\n  - {category: 工程建设, amonut: 1}\n", 3, "unknown key 'amonut'"),
    ("period: 2022Q5\nfigures:\n  - {count: 1}\n", 1, "period"),
    ("period: 2022Q3\nunit: 美元\nfigures:\n  - {count: 1}\n", 2, "not a money unit"),
    ("figures:\n  - {count: 1}\n", 2, "no period"),
    ("period: 2022Q3\nfigures:\n  - {category: 工程建设}\n", 3, "publishes no measure"),
    ("period: 2022Q3\nfigures:\n  - {category: 工程建设, count: 1\n", 4, "not valid YAML"),
    ("title: x\n", 1, "needs `figures:`"),
    ("period: 2022Q3\nfigures:\n  - {exclude: 集中采购, count: 1}\n", 3, "exclude: takes"),
])
def test_errors_name_file_line_and_fix(tmp_path: Path, body: str, line: int, message: str) -> None:
    assert_error_at(load_published, write(tmp_path, body), line, message)
