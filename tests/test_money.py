from decimal import Decimal

import pytest
from ggzy.errors import UsageError
from ggzy.money import MoneyError, format_fen, to_fen
from ggzy.periods import parse_period
from hypothesis import given
from hypothesis import strategies as st


@pytest.mark.parametrize(("text", "unit", "fen"), [
    ("3063.40", "万元", 3_063_400_000),
    ("3,063.40", "万元", 3_063_400_000),
    ("３０６３．４", "万元", 3_063_400_000),  # full-width digits
    ("22.91", "亿元", 229_100_000_000),
    ("0.000001", "万元", 1),
    ("1234.56", "元", 123_456),
    ("20797381.58", "元", 2_079_738_158),
    ("0", "元", 0),
    ("1e2", "元", 10_000),
])
def test_to_fen_is_exact(text: str, unit: str, fen: int) -> None:
    assert to_fen(text, unit) == fen


@pytest.mark.parametrize(("text", "unit", "reason"), [
    ("1.005", "元", "finer than one fen"),
    ("0.0000001", "万元", "finer than one fen"),
    ("下浮率3%", "元", "percentage"),
    ("总价约390万", "元", "not a number"),
    ("95%", "元", "percentage"),
    ("1,23,4", "元", "thousands separators"),
    ("", "元", "empty"),
    ("nan", "元", "not a finite number"),
])
def test_to_fen_refuses_with_a_reason(text: str, unit: str, reason: str) -> None:
    with pytest.raises(MoneyError, match=reason):
        to_fen(text, unit)


@given(st.integers(min_value=0, max_value=10**15), st.sampled_from(["元", "万元", "亿元"]))
def test_fen_round_trips_through_every_unit(fen: int, unit: str) -> None:
    places = {"元": 2, "万元": 6, "亿元": 10}[unit]
    assert to_fen(format_fen(fen, unit, places), unit) == fen


def test_format_fen_rounds_half_up_and_shows_missing() -> None:
    assert format_fen(229_050_000_000, "亿元", 2) == "22.91"
    assert format_fen(None) == "—"
    assert format_fen(0, "万元") == "0.00"
    assert Decimal(format_fen(1, "元", 2)) == Decimal("0.01")


@pytest.mark.parametrize(("text", "first", "last", "n"), [
    ("2022-09", "2022-09", "2022-09", 1), ("2022Q3", "2022-07", "2022-09", 3), ("2022H1", "2022-01", "2022-06", 6),
    ("2018", "2018-01", "2018-12", 12), ("2022-11..2023-02", "2022-11", "2023-02", 4),
])
def test_periods(text: str, first: str, last: str, n: int) -> None:
    months = parse_period(text).months
    assert (months[0], months[-1], len(months)) == (first, last, n)


@pytest.mark.parametrize("text", ["2022-13", "2022Q5", "Q3", "2022-09..2022-07", "2022/13"])
def test_bad_periods_say_what_to_write(text: str) -> None:
    with pytest.raises(UsageError, match="period"):
        parse_period(text)
