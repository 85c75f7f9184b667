"""Layout finding, header synonyms and profiles: the pieces the golden cases are made of."""

from __future__ import annotations

from pathlib import Path

import pytest
from ggzy.imports.base import Profile
from ggzy.imports.layout import find_layout
from ggzy.imports.normalize import read_header
from ggzy.money import MoneyError
from ggzy.values import parse_date, parse_money
from support import GOOD, run, workbook

# every header variant issue 3 names, with the field it must land in
SYNONYMS = {
    "project_code": ["项目编号", "招标编号", "采购项目编号", "宗地编号"],
    "section_code": ["标段(包)编号", "标段（包）编号", "标段编号"],
    "name": ["工程名称", "项目名称", "标的名称"],
    "budget": ["预算金额", "预算价", "采购预算"],
    "control_price": ["控制价", "最高限价", "招标控制价"],
    "reserve": ["起始价", "挂牌价格", "底价"],
    "deal": ["中标价", "中标金额", "成交金额", "成交价"],
    "winner": ["中标人", "中标单位", "成交供应商", "竞得人", "受让方"],
    "trade_date": ["开标日期", "成交日期", "成交时间"],
    "region": ["所属区县", "县区", "县（区）", "区域"],
    "category": ["交易类型", "交易类别"],
    "subcategory": ["行业类别", "项目类型", "工程类别", "类型"],
    "status": ["交易状态", "状态"],
    "method": ["交易方式", "采购方式"],
}


@pytest.mark.parametrize(("field", "text"), [(f, t) for f, names in SYNONYMS.items() for t in names])
def test_header_synonyms(field: str, text: str) -> None:
    assert read_header(text).field == field
    assert read_header(f" {text} \n(万元)").field == field  # spaces, line breaks and a unit do not matter


@pytest.mark.parametrize(("text", "unit"), [("成交金额(元)", "元"), ("中标价（万元）", "万元"),
                                            ("成交价(亿元)", "亿元"), ("金额(万元)", "万元"), ("成交金额", None)])
def test_units_from_the_header(text: str, unit: str | None) -> None:
    assert read_header(text).unit == unit


def test_title_unit_line_and_two_level_header() -> None:
    rows = [["某市2022年7月进场交易项目明细表", None, None, None], ["填报单位:某中心", None, "单位：亿元", None],
            ["项目编号", "金额", None, "成交日期"], [None, "预算价", "中标价", None], ["A", "1", "2", "2022-07-01"]]
    layout = find_layout(rows, Profile())
    assert layout is not None
    assert (layout.header_row, layout.data_start, layout.unit) == (2, 4, "亿元")
    assert layout.title == "某市2022年7月进场交易项目明细表"
    assert [(c.text, c.field) for c in layout.columns] == [("项目编号", "project_code"), ("金额/预算价", "budget"),
                                                           ("金额/中标价", "deal"), ("成交日期", "trade_date")]


def test_a_row_of_units_under_the_header() -> None:
    rows = [["项目编号", "预算金额", "成交金额", "成交日期"], [None, "(万元)", "（元）", None],
            ["A", "1", "2", "2022-07-01"]]
    layout = find_layout(rows, Profile())
    assert layout is not None and layout.data_start == 2
    assert [c.unit for c in layout.columns] == [None, "万元", "元", None]


def test_no_header_in_the_first_rows() -> None:
    assert find_layout([["说明"], ["本表为示例"]], Profile()) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("2022-07-05", "2022-07-05"), ("2022-07-05 09:30:00", "2022-07-05"), ("2022年7月5日", "2022-07-05"),
    ("2022年7月5日 9时30分", "2022-07-05"), ("2022.07.05", "2022-07-05"), ("2022/7/5", "2022-07-05"),
    ("20220705", "2022-07-05"), ("44747", "2022-07-05"), ("２０２２-０７-０５", "2022-07-05")])
def test_dates(text: str, expected: str) -> None:
    assert str(parse_date(text)) == expected


@pytest.mark.parametrize(("text", "unit", "fen"), [("1,234.5678", "万元", 1_234_567_800), ("１２３．４", "元", 12_340),
                                                  ("595000.00元", "万元", 59_500_000), ("3.5万元", "元", 3_500_000)])
def test_amounts(text: str, unit: str, fen: int) -> None:
    assert parse_money(text, unit) == fen


@pytest.mark.parametrize(("text", "reason"), [("49.23%", "percentage"), ("下浮率3%", "percentage"),
                                              ("约四百万元", "free text"), ("1,23", "thousands separators"),
                                              ("1.234", "finer than one fen")])
def test_amounts_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(MoneyError, match=reason):
        parse_money(text, "元")


@pytest.mark.parametrize(("content", "message"), [
    ("unit: 千元\n", "unknown money unit"),
    ("colums: {}\n", "unknown profile setting(s) colums"),
    ("header_row: zero\n", "header_row must be a row number"),
    ("columns: [a, b]\n", "columns: maps header text to a field"),
    ("unit: [\n", "profile is not valid YAML"),
    ("- a\n", "a profile is a mapping"),
])
def test_profile_errors_name_the_file_and_the_fix(ledger_url: str, tmp_path: Path, content: str, message: str) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text(content, encoding="utf-8")
    result = run(ledger_url, "import", str(workbook(tmp_path / "a.xlsx", GOOD)), "--profile", str(profile))
    assert result.exit_code == 2 and message in result.stderr and "p.yaml" in result.stderr


def test_unknown_built_in_profile_lists_the_known_ones(ledger_url: str, tmp_path: Path) -> None:
    result = run(ledger_url, "import", str(workbook(tmp_path / "a.xlsx", GOOD)), "--profile", "nosuch")
    assert result.exit_code == 2 and "yichang-awards" in result.stderr


def test_header_row_from_the_profile(ledger_url: str, tmp_path: Path) -> None:
    """A header with only one known name cannot be found by looking; header_row: and columns: say where."""
    path = workbook(tmp_path / "odd.xlsx", [["封面"], ["编号", "金额(元)", "日期"], ["Z-1", "10", "2022-07-01"]],
                    header=["说明"])
    profile = tmp_path / "odd.yaml"
    profile.write_text("header_row: 3\ncategory: 政府采购\n"
                       "columns: {编号: project_code, 金额: deal, 日期: trade_date}\n", encoding="utf-8")
    result = run(ledger_url, "import", str(path), "--profile", str(profile), "--format", "json", "--no-check")
    assert result.exit_code == 0, result.output
    (record,) = __import__("json").loads(run(ledger_url, "records", "--format", "json").stdout)["records"]
    assert (record["project_code"], record["deal_fen"], record["category"], record["source_row"]) == \
        ("Z-1", 1000, "procurement", 4)


# --- header inference (imports/headers.py) ----------------------------------------------------------------
from ggzy.imports.headers import Context, parse_header, resolve_header, resolve_row, resolve_two_levels  # noqa: E402


@pytest.mark.parametrize(("text", "unit", "qualifiers"), [
    ("中标价（万元）", "万元", ()), ("宗地编号（矿权）", None, ("矿权",)), ("中标价(报价承诺)", None, ("报价承诺",)),
    ("成交价\n（ 万元 ）", "万元", ()), ("挂牌价（单位：万元）", "万元", ()), ("成交金额/万元", "万元", ()),
    ("中标（成交）金额（万元）", "万元", ("成交",)), ("楼面价（元/㎡）", None, ())])
def test_a_unit_in_brackets_is_not_a_qualifier(text: str, unit: str | None, qualifiers: tuple[str, ...]) -> None:
    parsed = parse_header(text)
    assert (parsed.unit, parsed.qualifiers) == (unit, qualifiers)


@pytest.mark.parametrize(("text", "field"), [
    ("控制价/预算金额", "budget"), ("拦标价（万元）", "control_price"), ("合同估算价（万元）", "budget"),
    ("出让起始价（万元）", "reserve"), ("挂牌成交价", "deal"), ("实际采购金额", "deal"), ("竞得单位", "winner"),
    ("供应商名称", "winner"), ("采矿权名称", "name"), ("标包", "section_code"), ("项目（标段）编号", "project_code"),
    ("截止时间", "trade_date"), ("合同签订日期", "trade_date"), ("地块位置", "location"), ("开采矿种（矿产代码）",
                                                                                           "mineral"),
    ("节资率（%）", "savings_rate"), ("增值额（万元）", "premium"), ("溢价率", "premium_rate"), ("备注", "remark"),
    ("竞买人数", "bidders"), ("公共资源交易行业分类", "subcategory"), ("土地用途", "subcategory"), ("项目类别",
                                                                                                    "category")])
def test_headers_no_synonym_file_lists_are_inferred(text: str, field: str) -> None:
    decision = resolve_header(text)
    assert decision.field == field, decision
    assert decision.reason and decision.score >= 0.6


@pytest.mark.parametrize("text", ["序号", "联系电话", "出让面积（㎡）", "楼面价（元/㎡）", "下浮率", "保证金（万元）",
                                  "招标人"])
def test_headers_that_are_no_field_are_not_used(text: str) -> None:
    decision = resolve_header(text)
    assert decision.field is None and decision.status == "ignored" and decision.reason


def test_a_bare_code_or_name_needs_the_sheet_context() -> None:
    assert resolve_header("编号").field is None and resolve_header("编号").candidate == "project_code"
    land = Context("land", "sheet name '土地出让'")
    assert resolve_header("编号", context=land).field == "project_code"
    assert resolve_header("名称", context=land).field == "name"
    assert "土地出让" in resolve_header("编号", context=land).reason


def test_low_scores_are_reported_not_guessed() -> None:
    decision = resolve_header("公告发布日期")
    assert decision.field is None and decision.status == "low" and decision.candidate == "trade_date"
    assert resolve_header("金额").field is None  # a money word with no role: which amount?


def test_a_short_sub_header_takes_its_meaning_with_the_group_label() -> None:
    decisions = resolve_two_levels(["项目编号", "金额（万元）", None, None, "成交时间"],
                                   [None, "预算", "中标", "节约资金", None])
    assert decisions is not None
    assert [(d.field, d.unit, d.unit_origin) for d in decisions[1:4]] == [
        ("budget", "万元", "group label"), ("deal", "万元", "group label"), ("savings", "万元", "group label")]
    assert decisions[2].text == "金额（万元）/中标"
    # a record row under the header is not a second level
    assert resolve_two_levels(["项目编号", "成交金额"], ["XM-1", "100"]) is None


def test_the_profile_and_the_synonym_files_win() -> None:
    assert resolve_header("公告发布日期", columns={"公告发布日期": "trade_date"}).status == "profile"
    assert resolve_header("类型").field == "subcategory"  # the synonym file says so, whatever the words say


def test_a_weaker_second_claim_on_a_field_is_not_used() -> None:
    decisions = resolve_row(["项目编号", "合同编号", "成交金额(元)", "成交日期"])
    assert [d.field for d in decisions] == ["project_code", None, "deal", "trade_date"]
    assert "项目编号 holds project_code" in decisions[1].reason


def test_a_header_naming_two_amounts_is_a_tie_not_a_guess() -> None:
    decision = resolve_header("预算/成交金额")
    assert decision.field is None and decision.status == "tie"
    assert "could be deal, budget: not guessed" in decision.reason


def test_words_in_traditional_characters_are_read_as_simplified() -> None:
    from ggzy.vocab import vocabulary

    vocab = vocabulary()
    assert (vocab.category("政府採購"), vocab.status("流標"), vocab.subcategory("採礦權")) == \
        ("procurement", "failed", ("mining", "采矿权"))
    assert resolve_header("預算金額（萬元）").field == "budget" and resolve_header("預算金額（萬元）").unit == "万元"


def test_a_planning_group_makes_a_second_header_row_of_indicators() -> None:
    """郑州's land form: 规划指标要求 over 容积率, 建筑高度(米), 投资总额(万元) — none of them a field, the row still a
    header row (not a record), and 投资总额 there is no budget."""
    from ggzy.imports.headers import resolve_two_levels

    top = ["编号", "土地位置", "规划指标要求", None, None, "起始价(万元)", "熔断价(万元)", "成交价(万元)", "成交时间"]
    sub = [None, None, "容积率", "建筑高度(米)", "投资总额(万元)", None, None, None, None]
    decisions = resolve_two_levels(top, sub)
    assert decisions is not None
    assert [(d.field, d.status) for d in decisions[2:5]] == [(None, "ignored")] * 3
    assert (decisions[5].field, decisions[6].field, decisions[6].status, decisions[7].field) == \
        ("reserve", None, "ignored", "deal")


def test_words_centres_use_for_a_failed_listing_and_a_use_with_a_qualifier() -> None:
    from ggzy.vocab import vocabulary

    vocab = vocabulary()
    assert {w: vocab.status(w) for w in ("挂牌出让失败", "拍卖失败", "交易失败")} == dict.fromkeys(
        ("挂牌出让失败", "拍卖失败", "交易失败"), "failed")
    assert vocab.subcategory("城镇住宅(地下交通服务场站用地)") == ("land", "住宅用地")
    assert vocab.subcategory("工业用地(标准地)") == ("land", "工业用地")
    assert vocab.subcategory("(待定)") is None
