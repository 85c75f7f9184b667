"""Published figures against each other, with interval arithmetic."""

from __future__ import annotations

from pathlib import Path

from ggzy.rules.consistency import check_consistency
from ggzy.rules.engine import load_rules
from ggzy.rules.published import load_published
from support import EXAMPLES


def checks(tmp_path: Path, figures: str, period: str = "2022Q3") -> list:
    path = tmp_path / "p.yaml"
    path.write_text(f"period: {period}\nunit: 亿元\nfigures:\n{figures}", encoding="utf-8")
    return check_consistency(load_published(path).figures, load_rules())


def test_haidong_subtypes_sum_within_rounding(tmp_path: Path) -> None:
    """8.43+5.21+0.90+4.29+4.10 = 22.93 against a stated 22.91 is consistent: five roundings allow ±0.025."""
    result = check_consistency(load_published(EXAMPLES / "haidong-2022Q3" / "published.yaml").figures, load_rules())
    assert all(c.status == "ok" for c in result)
    construction = next(c for c in result if c.figures[0] == 15 and c.measure == "amount")
    assert construction.figures == [15, 1, 2, 3, 4, 5, 6, 7, 8, 9] and "=" in construction.detail


def test_a_real_contradiction_is_reported(tmp_path: Path) -> None:
    result = checks(tmp_path, "  - {category: 政府采购, subcategory: 集中采购, count: 10, amount: 1.00}\n"
                              "  - {category: 政府采购, subcategory: 分散采购, count: 5, amount: 2.00}\n"
                              "  - {category: 政府采购, count: 16, amount: 3.20}\n")
    bad = {(c.measure, tuple(c.figures)) for c in result if c.status == "inconsistent"}
    assert bad == {("count", (3, 1, 2)), ("amount", (3, 1, 2))}


def test_parts_that_do_not_cover_the_whole_may_not_exceed_it(tmp_path: Path) -> None:
    result = checks(tmp_path, "  - {category: 土地使用权, count: 7}\n"
                              "  - {category: 土地使用权, region: 甲县, count: 5}\n"
                              "  - {category: 土地使用权, region: 乙县, count: 3}\n")
    (check,) = result
    assert check.status == "inconsistent" and "do not cover" in check.detail


def test_rates_against_their_amounts(tmp_path: Path) -> None:
    ok = checks(tmp_path, "  - {category: 工程建设, budget: 8.59, amount: 7.79, savings: 0.80, savings_rate: 9.29%}\n",
                period="2018")
    assert {c.measure for c in ok} == {"savings", "savings_rate"} and all(c.status == "ok" for c in ok)
    bad = checks(tmp_path, "  - {category: 工程建设, budget: 8.59, amount: 7.79, savings: 0.80, savings_rate: 12.5%}\n",
                 period="2018")
    assert [c.measure for c in bad if c.status == "inconsistent"] == ["savings_rate"]


def test_other_trade_kinds_do_not_make_up_all_other_trades(tmp_path: Path) -> None:
    """其他交易's kinds (罚没财物, 排污权 …) are not all there is: a record of 其他交易 may be of none of them, so
    every kind published together bounds the total from below only — 3 + 2 < 9 is no contradiction, 6 + 5 > 9 is.
    A figure for 其他交易 leaving every kind out still has records (its own cell)."""
    from ggzy.vocab import vocabulary

    kinds = vocabulary().subcategories["other"]
    rest = ", ".join(kinds[1:])
    fine = checks(tmp_path, f"  - {{category: 其他交易, subcategory: {kinds[0]}, count: 3}}\n"
                            f"  - {{category: 其他交易, subcategory: [{rest}], count: 2}}\n"
                            "  - {category: 其他交易, count: 9}\n")
    (check,) = fine
    assert check.status == "ok" and check.figures == [3, 1, 2] and "do not cover" in check.detail
    bad = checks(tmp_path, f"  - {{category: 其他交易, subcategory: {kinds[0]}, count: 6}}\n"
                           f"  - {{category: 其他交易, subcategory: [{rest}], count: 5}}\n"
                           "  - {category: 其他交易, count: 9}\n")
    assert [c.status for c in bad] == ["inconsistent"]
    # the records of no kind are a part of their own: with them the parts cover the whole again (=)
    covered = checks(tmp_path, f"  - {{category: 其他交易, subcategory: [{', '.join(kinds)}], count: 3}}\n"
                               f"  - {{category: 其他交易, exclude: {{subcategory: [{', '.join(kinds)}]}}, count: 2}}\n"
                               "  - {category: 其他交易, count: 9}\n")
    (check,) = covered
    assert check.status == "inconsistent" and check.figures == [3, 1, 2] and "=" in check.detail
    assert "do not cover" not in check.detail


def test_exhaustive_categories_still_sum_exactly(tmp_path: Path) -> None:
    """集中采购 + 分散采购 make up 政府采购 (declared exhaustive): their sum must equal it, both ways."""
    from ggzy.vocab import vocabulary

    assert {"construction", "procurement", "land", "mining"} <= vocabulary().exhaustive
    assert "other" not in vocabulary().exhaustive and "property" not in vocabulary().exhaustive
    low = checks(tmp_path, "  - {category: 政府采购, subcategory: 集中采购, count: 3}\n"
                           "  - {category: 政府采购, subcategory: 分散采购, count: 2}\n"
                           "  - {category: 政府采购, count: 9}\n")
    assert [(c.status, "=" in c.detail) for c in low] == [("inconsistent", True)]
