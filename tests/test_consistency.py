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
