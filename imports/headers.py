"""Which field each header cell of a sheet holds — decided from the words, with a score and a reason.

Header cells in, decisions out. A header is first taken apart (NFKC, no spaces or line breaks, ASCII
brackets; a bracketed unit such as ``（万元）`` sets the unit, any other bracketed word is a qualifier
that narrows or widens the meaning: ``（矿权）``, ``（成交）``, ``（报价承诺）``, ``（标段）``). Then, in order:
the profile's ``columns:`` (score 1), the synonym files (shipped and the user's, score 1), and the
words that carry meaning — a code word, a name word, a money word with its role, a date word with its
event, a party word, a count — each with a score. A bare ``编号``/``名称`` scores high only on a sheet
whose category is known; a short sub-header (``预算``, ``中标``) is read together with the group label
above it. A score under ``ACCEPT`` or two fields scoring alike are reported, never guessed.

``--explain``, ``profile suggest`` and the importer all read the same ``Decision`` objects.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ggzy.money import UNIT_ALIASES
from ggzy.vocab import header_synonyms, normalise_label, simplified

ACCEPT = 0.6  # a decision scoring less is reported (and suggested as a profile line), not used
REPORT = 0.3  # …and one scoring less than this is not even a guess
#: fields a column can hold beyond the record's own: read to fill or check record fields
HELPER_FIELDS = {
    "location": "a place (土地位置/矿区位置): gives the region and, for a nameless row, the name",
    "mineral": "a mineral (矿种): names a mining row that has no name column",
    "remark": "a remark (备注): 流标/流拍 written there makes the row a failed one",
    "savings": "printed savings (节约资金): checked against budget − deal of its row",
    "savings_rate": "printed savings rate (节资率): checked against (budget − deal) ÷ budget of its row",
    "premium": "printed premium (增值额/溢价额): checked against deal − reserve of its row",
    "premium_rate": "printed premium rate (溢价率/增值率): checked against (deal − reserve) ÷ reserve of its row",
}
IGNORE = "ignore"  # a profile's columns: value for a column to leave out (one of two columns holding an amount)
DERIVED = ("savings", "savings_rate", "premium", "premium_rate")
MONEY_FIELDS = ("budget", "control_price", "reserve", "deal")
KEY_FIELDS = {"project_code", "section_code", "deal", "name"}

_BRACKET = re.compile(r"\(([^()]*)\)")
_UNIT_WORDS = re.compile(r"^(?:单位[:：]?|人民币)?(亿元|万元|元|万|亿)(?:人民币)?$")
_PER_QUANTITY = re.compile(r"(?:元|万元)/(?:亩|平方米|㎡|m2|吨|立方米|m3|年|月|天|人|个|台|套)")
_TRAILING_UNIT = re.compile(r"^(?P<core>.*?(?:价|额|金|款|资金|价格|金额))(?:/|单位[:：]?)?(?P<unit>亿元|万元|元)$")


@dataclass(frozen=True)
class HeaderText:
    """A header cell taken apart."""

    raw: str
    label: str  # NFKC, no spaces, ASCII brackets, unit removed: '中标价(报价承诺)'
    core: str  # the label without bracketed words: '中标价'
    unit: str | None
    qualifiers: tuple[str, ...] = ()
    percent: bool = False
    per_quantity: bool = False  # '单价(元/㎡)': a price per area or quantity, not an amount


def parse_header(raw: object) -> HeaderText:
    """'中标价\n（万元）' → HeaderText(label='中标价', unit='万元'); '宗地编号（矿权）' → qualifier 矿权."""
    text = "" if raw is None else str(raw)
    label = simplified(re.sub(r"[\s\u3000]+", "", unicodedata.normalize("NFKC", text)))
    label = label.replace("〔", "(").replace("〕", ")").replace("[", "(").replace("]", ")")
    label = label.replace("【", "(").replace("】", ")")
    unit = None
    qualifiers: list[str] = []
    percent = per_quantity = False
    kept: list[str] = []
    for inner in _BRACKET.findall(label):
        if match := _UNIT_WORDS.match(inner):
            unit = UNIT_ALIASES[match[1]]
            kept.append(f"({inner})")
        elif inner in ("%", "百分比", "％"):
            percent = True
            kept.append(f"({inner})")
        elif _PER_QUANTITY.search(inner):
            per_quantity = True
        elif inner:
            qualifiers.append(inner)
    for part in kept:
        label = label.replace(part, "")
    if label.endswith("%"):
        label, percent = label[:-1], True
    if unit is None and (match := _TRAILING_UNIT.match(label)):
        label, unit = match["core"], match["unit"]
    if unit is None and label in ("元", "万元", "亿元", "万", "亿"):
        unit, label = UNIT_ALIASES[label], ""
    core = _BRACKET.sub("", label)
    per_quantity = per_quantity or bool(_PER_QUANTITY.search(core))
    return HeaderText(text, label, core, unit, tuple(qualifiers), percent, per_quantity)


@dataclass(frozen=True)
class Decision:
    """What one column holds and why. ``status``: profile | synonym | inferred (used); low | tie (a guess, not
    used); ignored (understood as no field: a phone number, an area); unused (not understood); unit; compared
    (an amount a stronger column holds: not used, its cells compared with that column's row by row)."""

    index: int
    text: str  # the header as shown; a two-level header joins group and sub-header: '金额(万元)/中标'
    field: str | None
    score: float
    reason: str
    status: str
    unit: str | None = None
    unit_origin: str | None = None  # 'header' | 'group label' | 'unit row' | 'unit line …' | 'profile'
    percent: bool = False
    alternatives: tuple[tuple[str, float], ...] = ()
    candidate: str | None = None  # for a low or tied decision: the field it would most likely be
    compare: str | None = None  # status 'compared': the money field whose column this one is checked against

    @property
    def used(self) -> bool:
        return self.field is not None

    @property
    def looks_like_data(self) -> bool:
        """A column not used whose header names money, a date or a code: worth one line on the terminal."""
        core = parse_header(self.text).core
        looks = re.search(r"价|金额|金$|资金|价款|日期|时间|编号|代码|编码", core)
        return not self.used and core != "序号" and bool(looks)

    def as_json(self) -> dict[str, object]:
        return {"column": self.index + 1, "header": self.text, "field": self.field, "score": round(self.score, 2),
                "status": self.status, "reason": self.reason, "unit": self.unit, "unit_origin": self.unit_origin,
                "candidate": self.candidate, **({"compared_with": self.compare} if self.compare else {})}


@dataclass(frozen=True)
class Context:
    """What a sheet says besides its header: the category known from its name, title or file name."""

    category: str | None = None
    origin: str = ""  # 'sheet name 采矿权出让', 'title …', 'file name …'
    has_category_column: bool = False
    subcategory: str | None = None  # '采矿权出让' names mining's 采矿权 too

    @property
    def known(self) -> bool:
        return self.category is not None or self.has_category_column


# --- the words -------------------------------------------------------------------------------------
# Order matters: the first rule that matches a header decides its candidates.
_NOT_A_FIELD = re.compile(
    r"^序号$|^编号序号$|联系|电话|地址|邮编|面积|年限|年期|容积率|代理|保证金|单价|楼面|地面价|亩均|下浮|费率|折扣|工期|"
    r"服务期|期限|负责人|经理|得分|评标|评审|专家|监督|信用代码|机构代码|矿产代码|区划代码|许可证|证号|坐标|储量|开采规模|生产规模|"
    r"标高|开采方式|建筑密度|绿地率|限高|熔断|资质|邮箱|网址|附件|公示期|公告期|招标人|采购人|采购单位|建设单位|出让人|"
    r"转让方|委托方|业主|代理机构|出让方|候选人|投标报价|报价得分|品目|规格|型号|数量$|预算单位")
#: a group label over planning indicators (郑州: 规划指标要求 over 容积率, 建筑高度(米), 投资总额(万元)): none of
#: the sub-headers under it is a ledger field, whatever its words (投资总额 there is a commitment, not a budget)
_PLANNING_GROUP = re.compile(r"规划指标|规划条件|规划要求|规划设计条件|指标要求|宗地条件|出让条件")
_SAVINGS = re.compile(r"节约资金|节资额|节约金额|节省资金|节支额|节资金额|节约额|节省金额|节资")
_SAVINGS_RATE = re.compile(r"节资率|节约率|节支率|节省率|资金节约率")
_PREMIUM = re.compile(r"增值额|溢价额|增价额|增值金额|溢价金额|增价|溢价|增值")
_PREMIUM_RATE = re.compile(r"溢价率|增值率|增价率")
_COUNT = re.compile(r"(?:投标|竞买|报名|参与|参加|响应|竞价|竞拍|报价|投标单位|供应商)"
                    r".*(?:人数|家数|单位数|数量|个数|数)$|^(?:投标|竞买|报名)人?家?数$")
_DATE = re.compile(r"日期|时间|日$|时$|年月日|时刻")
TRADE_EVENT = re.compile(r"成交|开标|中标|竞得|交易|拍卖|签订|签约|确认|出让结果|竞价结束|落槌")
_DATE_EVENTS = [
    (TRADE_EVENT, 0.9,
     "the trade happened then"),
    (re.compile(r"截止|结束"), 0.65, "a listing's closing time, when a 挂牌 trade is concluded"),
    (re.compile(r"公告|发布|公示"), 0.35,
     "a publication date, not the trade date: map it only if the sheet has no other"),
    (re.compile(r"报名|开始|起始|受理|缴纳|到账|登记|审核|备案"), 0.15, "a step before the trade, not the trade date"),
]
_WINNER = re.compile(r"中标人|中标单位|中标供应商|中标企业|中标商|成交供应商|成交人|成交单位|竞得人|竞得单位|竞得者|"
                     r"受让方|受让人|受让单位|买受人|竞买成功|中选|成交企业|承包人|承包单位|施工单位|乙方|中标候选人第一名")
_SUPPLIER = re.compile(r"^供应商(?:名称)?$")
_MONEY = re.compile(r"价|金额|价款|资金|总额|金$|额$|费$|收益|出让金|规模$")
_ROLES = [  # (pattern, field, score, reason) — the first that matches wins: a deal word first ('挂牌成交价'),
    # then the bases, then the weaker deal words ('合同估算价' is a budget)
    (re.compile(r"成交|中标|竞得|实际采购|落槌|中选|实际"), "deal", 0.9, "a deal word (成交/中标/竞得)"),
    (re.compile(r"控制价|限价|拦标价|最高价|标底|招标控制"), "control_price", 0.9,
     "a base of savings: 控制价/最高限价"),
    (re.compile(r"预算|计划金额|采购计划|估算价|估算|概算|投资额|总投资"), "budget", 0.85,
     "a base of savings: 预算/采购预算"),
    (re.compile(r"起始|起拍|底价|挂牌价|挂牌金额|评估|保留价|起价|基准价|参考价|拍卖底|挂牌起"), "reserve", 0.9,
     "a base of premium: 起始/底/挂牌/起拍/评估"),
    (re.compile(r"合同|结算|签约|出让价款|出让金|出让收益|转让价款|转让价格|交易金额|交易价|交易额|成交额"),
     "deal", 0.8,
     "a deal word (合同/出让价款/交易金额)"),
]
_CODE = re.compile(r"编号|代码|编码|号$|号码|批次号|公告号|文号")
_SECTION = re.compile(r"标段|标包|包号|包件|分标|包$|^包|子包|采购包")
_CODE_OWNER = re.compile(r"项目|招标|采购|宗地|地块|交易|工程|矿权|矿业权|采矿权|探矿权|出让|挂牌|标的|拍卖|产权|资产|"
                         r"转让|公告|合同|批次")
_NAME = re.compile(r"名称|名字|^项目$|^工程$|^标的$|标的物|^宗地$|^地块$|^(?:采购|建设|招标|交易)项目$")
_NAME_OWNER = re.compile(r"项目|工程|标的|标段|宗地|地块|矿权|矿业权|采矿权|探矿权|矿区|矿山|采购|包|资产|"
                         r"产权|转让|出让|拍卖|交易|土地")
_LOCATION = re.compile(r"位置|坐落|地点|所在地|座落|四至|地址$|矿区范围|所在区域")
_REGION = re.compile(r"^(?:所属|所在)?(?:区县|县区|县\(区\)|县\(市、?区\)|县市区|市县|区域|地区|行政区|"
                     r"辖区|行政区划|区划|县\(市\)|县市|区\(县\)|所属地区|属地)$")
_CATEGORY = re.compile(r"^(?:交易|业务|项目|公共资源交易)?(?:类别|类型|分类|大类|种类)$|交易品种|交易类别|交易类型")
_SUBCATEGORY = re.compile(r"行业分类|行业类别|工程类别|工程类型|子类|小类|土地用途|规划用途|用途|用地性质|"
                          r"土地性质|探采|矿权类型|矿业权类型|权属类型|出让类型")
_MINERAL = re.compile(r"矿种|矿产|开采矿种|勘查矿种|主矿种")
_STATUS = re.compile(r"状态|交易结果|^结果$|是否成交|成交情况|交易情况")
_METHOD = re.compile(r"方式|组织形式|形式$")
_REMARK = re.compile(r"^备注|^说明$|^附注")


def _candidates(parsed: HeaderText, context: Context, group: HeaderText | None) -> list[tuple[str, float, str]]:
    """(field, score, reason) for a header, best first; empty when its words say nothing."""
    core = parsed.core
    words = core + "".join(parsed.qualifiers)
    if not core:
        return []
    if parsed.per_quantity:
        return [("", 0.0, "a price per area or quantity, not an amount")]
    if _SAVINGS_RATE.search(core) or ("节" in core and parsed.percent):
        return [("savings_rate", 0.9, "a savings rate (节资率): checked against its row")]
    if _PREMIUM_RATE.search(core) or (_PREMIUM.search(core) and parsed.percent):
        return [("premium_rate", 0.9, "a premium rate (溢价率/增值率): checked against its row")]
    if core.endswith("率"):
        return [("", 0.0, "a rate not derived from the amounts (下浮率, 费率…)")]
    if _SAVINGS.search(core):
        return [("savings", 0.9, "printed savings (节约资金): checked against its row")]
    if _PREMIUM.search(core) and not _ROLES[0][0].search(core):
        return [("premium", 0.9, "a printed premium (增值额/溢价额): checked against its row")]
    if _REMARK.search(core):
        return [("remark", 0.9, "a remark: 流标/流拍 written there marks a failed row")]
    if _NOT_A_FIELD.search(core):
        return [("", 0.0, "not a ledger field (contact, area, term, agent, price per unit …)")]
    if _COUNT.search(core):
        return [("bidders", 0.85, "a count of bidders (人数/家数)")]
    if _DATE.search(core):
        for pattern, score, why in _DATE_EVENTS:
            if pattern.search(words):
                return [("trade_date", score, f"a date word with its event: {why}")]
        return [("trade_date", 0.6, "a date word with no event named: read as the trade date")]
    if _WINNER.search(core) or (_SUPPLIER.match(core)):
        return [("winner", 0.9, "a party word: who won (中标人/供应商/竞得人/受让方)")]
    if _MONEY.search(core) or (group is not None and _MONEY.search(group.core)):
        money_words = core if _MONEY.search(core) or group is None else core + group.core
        role_words = money_words + "".join(parsed.qualifiers)
        found = [(f, s, why) for pattern, f, s, why in _ROLES if pattern.search(role_words)]
        if found:
            best = found[0]
            others = [c for c in found[1:] if c[0] != best[0]]
            if others and "/" in core:  # '控制价/预算金额': both name a base of savings
                same_role = {best[0], *(o[0] for o in others)} <= {"budget", "control_price"}
                if same_role:
                    return [("budget", 0.8, "two bases of savings named (控制价/预算): read as the budget")]
                return [(best[0], 0.6, best[2]), *[(o[0], 0.6, o[2]) for o in others]]
            return [(best[0], best[1], best[2] + (" with the group label" if money_words != core else ""))]
        return [("deal", 0.4, "a money word with no role (预算/控制价/起始价/成交): which amount is it?")]
    if group is not None and not _CODE.search(core) and not _NAME.search(core):
        found = [(f, s, why) for pattern, f, s, why in _ROLES if pattern.search(core)]
        if found:  # '中标' under a group label that is not money: a role word alone
            return [(found[0][0], 0.5, found[0][2] + " alone, under a group label that names no amount")]
    if re.fullmatch(r"标段|标包|包|分包|包号|标段号|包件|采购包|标段\(包\)|分标", core):
        return [("section_code", 0.8, "a section word alone (标段/标包): the section code")]
    if _CODE.search(core) and not re.search(r"^序号", core):
        section = _SECTION.search(words)
        owner = _CODE_OWNER.search(words)
        if section:
            return [("section_code", 0.9, "a code word with 标段/包: the section code")]
        if owner:
            if re.search(r"合同|公告|批次|文号", core):
                return [("project_code", 0.65, f"a {owner[0]} number: it identifies the trade when no project "
                                               "code is given")]
            return [("project_code", 0.9, f"a code word with {owner[0]}: the record's code")]
        if context.known:
            return [("project_code", 0.8, "a bare code word (编号) on a sheet whose category is known "
                                          f"({context.origin or 'a category column'}): the record's code")]
        return [("project_code", 0.5, "a bare code word (编号) on a sheet whose category is not known")]
    if _LOCATION.search(core):
        return [("location", 0.8, HELPER_FIELDS["location"])]
    if _REGION.match(core):
        return [("region", 0.85, "a region word (区县/区域)")]
    if _MINERAL.search(core) and not _NAME.search(core):
        return [("mineral", 0.8, HELPER_FIELDS["mineral"])]
    if _SUBCATEGORY.search(core):
        return [("subcategory", 0.8, "a type word (行业分类/土地用途/探采): the subcategory")]
    if _CATEGORY.search(core):
        return [("category", 0.8, "a category word (类别/类型)")]
    if _NAME.search(core):
        if _NAME_OWNER.search(words) or core != "名称":
            return [("name", 0.9, "a name word with its object (项目/标的/宗地/矿权)")]
        if context.known:
            where = context.origin or "a category column"
            return [("name", 0.8, f"a bare 名称 on a sheet whose category is known ({where})")]
        return [("name", 0.5, "a bare 名称 on a sheet whose category is not known")]
    if _STATUS.search(core):
        return [("status", 0.8, "a status word (状态/交易结果)")]
    if _METHOD.search(core):
        return [("method", 0.75, "a method word (方式)")]
    return []


def _synonym(parsed: HeaderText, table: dict[str, str]) -> str | None:
    for key in (parsed.label, parsed.label + "".join(f"({q})" for q in parsed.qualifiers), parsed.core):
        if key and key in table:
            return table[key]
    return None


def resolve_header(raw: object, index: int = 0, *, columns: dict[str, str] | None = None,
                   context: Context | None = None, group: object = None) -> Decision:
    """One header cell (and the group label above it, for a two-level header) → a decision."""
    context = context or Context()
    parsed = parse_header(raw)
    group_parsed = parse_header(group) if group not in (None, "") else None
    shown = f"{str(group).strip()}/{str(raw).strip()}" if group_parsed is not None else str(raw or "").strip()
    unit, unit_origin = (parsed.unit, "header") if parsed.unit else (None, None)
    if unit is None and group_parsed is not None and group_parsed.unit:
        unit, unit_origin = group_parsed.unit, "group label"
    percent = parsed.percent or bool(group_parsed and group_parsed.percent)
    base = Decision(index, shown, None, 0.0, "", "unused", unit, unit_origin, percent)
    if not parsed.label and not parsed.unit:
        return replace(base, reason="empty header cell")
    if not parsed.label:
        return replace(base, status="unit", reason=f"a unit cell ({parsed.unit})")
    own = {normalise_label(k): v for k, v in (columns or {}).items()}
    keys = [parsed.label, normalise_label(parsed.raw), parsed.core]
    if group_parsed is not None:
        keys = [normalise_label(shown), f"{group_parsed.label}/{parsed.label}", *keys]
    for key in keys:
        if key in own and own[key] == IGNORE:
            return replace(base, status="ignored", reason=f"the profile leaves {key!r} out ({IGNORE})")
        if key in own:
            return replace(base, field=own[key], score=1.0, status="profile", reason=f"the profile maps {key!r}")
    table = header_synonyms()
    if (found := _synonym(parsed, table)) is not None:
        return replace(base, field=found, score=1.0, status="synonym",
                       reason=f"in the synonym file as {found}" + (f"; qualifier ({', '.join(parsed.qualifiers)})"
                                                                   if parsed.qualifiers else ""))
    if group_parsed is not None and (found := _synonym(parse_header(parsed.core + group_parsed.core), table)):
        return replace(base, field=found, score=0.95, status="synonym",
                       reason=f"{parsed.core} with its group label {group_parsed.core}: {found} in the synonym file")
    ranked = sorted(_candidates(parsed, context, group_parsed), key=lambda c: -c[1])
    if not ranked or not ranked[0][0]:
        if ranked:  # understood as no field: a contact, an area, a price per ㎡ …
            return replace(base, reason=ranked[0][2], status="ignored")
        return replace(base, reason="no word in it names a ledger field")
    best_field, best_score, best_reason = ranked[0]
    rivals = [(f, s) for f, s, _ in ranked[1:] if f and f != best_field and best_score - s < 0.1]
    alternatives = tuple((f, s) for f, s, _ in ranked)
    if rivals:
        names = ", ".join([best_field, *(f for f, _ in rivals)])
        return replace(base, score=best_score, status="tie", alternatives=alternatives, candidate=best_field,
                       reason=f"could be {names}: not guessed")
    if best_score < ACCEPT:
        return replace(base, score=best_score, status="low" if best_score >= REPORT else "unused",
                       alternatives=alternatives, candidate=best_field if best_score >= REPORT else None,
                       reason=best_reason)
    return replace(base, field=best_field, score=best_score, status="inferred", reason=best_reason,
                   alternatives=alternatives)


@dataclass
class SheetHeader:
    """The decisions for one sheet's header, with where the table is."""

    sheet: str
    header_row: int  # 1-based
    data_row: int  # 1-based first row below the header
    decisions: list[Decision]
    title: str | None = None
    unit: str | None = None
    unit_origin: str | None = None
    context: Context = field(default_factory=Context)
    # with no date column: a line above the header dating every row ('拍卖日期：2013年6月18日'): (label, date text)
    date_line: tuple[str, str] | None = None

    def fields(self) -> set[str]:
        return {d.field for d in self.decisions if d.field}

    def missing(self) -> list[str]:
        """Required fields no column holds: a code, a trade date, and a deal amount or status."""
        have = self.fields()
        gaps = []
        if not have & {"project_code", "section_code"}:
            gaps.append("project_code")
        if "trade_date" not in have and self.date_line is None:
            gaps.append("trade_date")
        if not have & {"deal", "status"}:
            gaps.append("deal")
        return gaps

    def money_ties(self) -> dict[str, list[Decision]]:
        """Amounts held by several columns scoring alike (a tie, ``settle``): field → those columns."""
        ties: dict[str, list[Decision]] = {}
        for decision in self.decisions:
            if decision.field in MONEY_FIELDS:
                ties.setdefault(decision.field, []).append(decision)
        return {f: ds for f, ds in ties.items() if len(ds) > 1}

    def not_understood(self) -> list[Decision]:
        return [d for d in self.decisions if not d.used and d.status in ("low", "tie", "unused") and d.text]

    def profile_lines(self, fields: list[str] | None = None) -> list[str]:
        """`columns:` lines of a profile that would map what was not understood (the likeliest field first)."""
        lines = []
        for decision in self.not_understood():
            guess = decision.candidate
            if guess and (fields is None or guess in fields or _fills(guess, fields)):
                lines.append(f"  {yaml_key(decision.text)}: {guess}")
        return lines


def _fills(guess: str, fields: list[str]) -> bool:
    return ("deal" in fields and guess in ("deal", "status")) or \
        ("project_code" in fields and guess in ("project_code", "section_code"))


def yaml_key(text: str) -> str:
    key = normalise_label(text)
    return f"'{key}'" if re.search(r"[:#{}\[\],&*!|>'\"%@`]", key) else key


#: fields one column holds: a weaker second candidate is not used (several type columns: the first known value
#: counts; columns of one name or code scoring alike, 项目名称 beside 标段名称: the first filled cell counts)
SINGLE_FIELDS = {"project_code", "section_code", "name", "trade_date", "winner", "region", "category", "status",
                 "method", "location", "mineral", "bidders"}
CLEARLY = 0.1 - 1e-9  # a column scoring this much more than another holds an amount alone


def _shown(decisions: list[Decision]) -> str:
    return ", ".join(re.sub(r"\s+", " ", d.text).strip() for d in decisions)


def settle(decisions: list[Decision]) -> list[Decision]:
    """Where several columns claim a field only one holds, the best scores keep it; the others are not used.

    An amount (budget, control price, reserve, deal) claimed by several columns: a column scoring clearly less
    than the best (中标价 beside 合同金额) is not used but *compared* — its cells are checked against the
    amount the record keeps, row by row (``imports.same_field``). Columns scoring alike (中标金额 and 成交金额,
    预算金额(元) and 预算金额(万元)) are a tie: each row takes the first filled cell, and a row where both are
    filled and differ is quarantined (a profile line ``成交金额(元): ignore`` leaves one out). A profile's line
    scores as the synonym files do: it says a column holds a field, not that another does not. Nothing is taken
    silently either way.
    """
    best: dict[str, float] = {}
    for decision in decisions:
        if decision.field in SINGLE_FIELDS:
            best[decision.field] = max(best.get(decision.field, 0.0), decision.score)
    settled = []
    for decision in decisions:
        if decision.field in SINGLE_FIELDS and decision.score < best[decision.field]:
            holder = next(d.text for d in decisions if d.field == decision.field and d.score == best[decision.field])
            decision = replace(decision, field=None, status="unused", candidate=decision.field,
                               reason=f"{decision.reason}; but {holder} holds {decision.field} with a higher score")
        settled.append(decision)
    for money in MONEY_FIELDS:
        claims = [d for d in settled if d.field == money]
        if len(claims) < 2:
            continue
        top = max(d.score for d in claims)
        profiled = any(d.status == "profile" for d in claims)  # the profile adds a column: no other is demoted
        holders = [d for d in claims if profiled or top - d.score < CLEARLY]
        for decision in claims:
            at = settled.index(decision)
            if decision not in holders:
                settled[at] = replace(
                    decision, field=None, status="compared", candidate=money, compare=money,
                    reason=f"{decision.reason}; but {_shown(holders)} hold{'s' if len(holders) == 1 else ''} {money} "
                           f"with a higher score ({top:.2f} vs {decision.score:.2f}): not used, each of its "
                           "amounts is compared with the one the record keeps")
            elif len(holders) > 1:
                others = [d for d in holders if d is not decision]
                settled[at] = replace(
                    decision, reason=f"{decision.reason}; {_shown(others)} also hold{'s' if len(others) == 1 else ''} "
                                     f"{money} (a tie): each row takes the first filled cell, a row where they "
                                     "differ is quarantined")
    return settled


def resolve_row(cells: Sequence[object], *, columns: dict[str, str] | None = None,
                context: Context | None = None) -> list[Decision]:
    """Every cell of one header row → a decision (no two-level reading)."""
    return settle([resolve_header(cell, i, columns=columns, context=context) for i, cell in enumerate(cells)])


def resolve_two_levels(top: Sequence[object], sub: Sequence[object], *, columns: dict[str, str] | None = None,
                       context: Context | None = None) -> list[Decision] | None:
    """A header over a second header row, or None when the second row is not one.

    A group label (a top cell with sub-headers under it, extending right over blank top cells, as a merged
    cell reads) gives each sub-header its meaning and unit; a row of units ('(万元)') gives the unit of
    the column above; a top cell with nothing under it stands alone.
    """
    width = max(len(top), len(sub))
    top = [*top, *[None] * (width - len(top))]
    sub = [*sub, *[None] * (width - len(sub))]
    texts = [(i, str(c)) for i, c in enumerate(sub) if c is not None and str(c).strip()]
    if not texts or any(_looks_like_value(t) for _, t in texts):
        return None
    decisions: list[Decision] = []
    group: object = None
    planning = False  # sub-headers under a planning group label: a second header row though none is a field
    for index, (upper, lower) in enumerate(zip(top, sub, strict=True)):
        if upper is not None and str(upper).strip():
            group = upper
        lower_text = "" if lower is None else str(lower).strip()
        if not lower_text:
            decisions.append(resolve_header(upper, index, columns=columns, context=context) if upper else
                             Decision(index, "", None, 0.0, "empty header cell", "unused"))
            continue
        parsed = parse_header(lower_text)
        if not parsed.label and parsed.unit:  # a unit row: '(万元)' under '中标价'
            above = resolve_header(upper, index, columns=columns, context=context)
            decisions.append(replace(above, text=f"{str(upper or '').strip()}({parsed.unit})", unit=parsed.unit,
                                     unit_origin="unit row"))
            continue
        if group is not None and _PLANNING_GROUP.search(parse_header(group).core):
            planning = True
            decisions.append(Decision(index, f"{str(group).strip()}/{lower_text}", None, 0.0,
                                      f"a planning indicator under {str(group).strip()}: not a ledger field",
                                      "ignored"))
            continue
        decision = resolve_header(lower_text, index, columns=columns, context=context,
                                  group=group if group is not None and str(group).strip() else None)
        if group is not None and str(group).strip() and not decision.used:
            alone = resolve_header(lower_text, index, columns=columns, context=context)
            if alone.used:
                decision = replace(alone, text=decision.text, unit=decision.unit or alone.unit,
                                   unit_origin=decision.unit_origin or alone.unit_origin)
        decisions.append(decision)
    sub_decisions = [decisions[i] for i, _ in texts]
    if not all(d.used or d.status in ("unit", "low", "tie", "ignored") for d in sub_decisions):
        return None
    if not planning and not any(d.used or d.status == "unit" for d in sub_decisions):
        return None
    return settle(decisions)


def _looks_like_value(text: str) -> bool:
    """A cell of a record row rather than a header: a number, a date, an amount, a code with digits."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    return bool(re.fullmatch(r"[-+]?[\d,]+(\.\d+)?%?|\d{4}[-/.年]\d{1,2}.*|[A-Za-z0-9\-_/]*\d{3,}[A-Za-z0-9\-_/]*",
                             cleaned))


def is_header(decisions: list[Decision]) -> bool:
    """A header row names at least two fields, one of them a key (code, name or deal)."""
    fields = {d.field for d in decisions if d.field}
    return len(fields) >= 2 and bool(fields & KEY_FIELDS)
