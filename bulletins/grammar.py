"""A grammar of trading sentences: clauses with a scope, a period, and measure–number–unit triples.

Text is split into paragraphs, sentences (。;) and clauses (,:). In each clause the reader finds a scope (category
words, combined with 、和及与; a region or centre level; a trade method), the period phrases, and every number with
its unit. A number is written as a figure only when its measure and scope are known; otherwise it becomes a
review note that says why (a growth rate, a share, an estimate, an unknown word). Parts (其中…) are narrower
figures of the figure before them. The vocabulary is data (``data/bulletin.yaml``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from ggzy.bulletins.numbers import numbers_in
from ggzy.bulletins.places import find_places, gazetteer, provinces, stem

_CN = {"零": 0, "元": 1, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DATE = re.compile(r"(\d{4})(?:年(\d{1,2})月(\d{1,2})日|-(\d{1,2})-(\d{1,2}))")
_BRACKET = re.compile(r"\(([^()]*)\)")
_OTHER_HALF = {"savings": "premium", "premium": "savings", "savings_rate": "premium", "premium_rate": "savings"}
_CJK = "\u4e00-\u9fff"
# symbol characters (Unicode So, Sm: 〓 ◥ ★ ↘ ∞ ⌒) and Greek letters (ζ) between two Chinese characters: debris a
# scraped page splices into words ('实际采〓购金额', '单ζ 一来源'); no bulletin writes them inside a word
_SYMBOLS = "".join(re.escape(chr(c)) for c in (*range(0x2000, 0x3100), *range(0x0391, 0x03CA))
                   if unicodedata.category(chr(c)) in ("So", "Sm", "Lu", "Ll") and chr(c) not in "〇")
_SPLICED = re.compile(rf"(?<=[{_CJK}])[{_SYMBOLS}]+(?=[{_CJK}])")
_YI_WAN = re.compile(r"(?<![\d.])(\d+)亿(?:零)?(\d+(?:\.\d+)?)万")


def _in_wan(m: re.Match[str]) -> str:
    return f"{(Decimal(m[1]) * 10_000 + Decimal(m[2])).normalize():f}万"


PURCHASE_KIND = r"([货物服务工程]{2}类)[^,、和及与]*采购(?!类)"  # '工程类采购', '服务类项目实际采购金额


@cache
def _to_simplified() -> Any:
    import opencc  # only when a bulletin is read

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """A bulletin in simplified characters: a copy in traditional ones (a mirror site, a Hong Kong or Taiwan page)
    is read with the same vocabulary; pinyin glosses in brackets ('发(fā)布') are dropped."""
    text = _to_simplified().convert(text)
    return re.sub(r"[(（]\s*(?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\s?)+[)）]", "", text)  # full-width too: '（qū）'


def chinese_int(text: str) -> int | None:
    """'8', '八', '十一', '元' (January) → int."""
    if text.isdigit():
        return int(text)
    if text in _CN:
        return _CN[text]
    if text.startswith("十"):
        return 10 + (_CN.get(text[1:], 0) if text[1:] else 0)
    if len(text) == 2 and text[1] == "十" and text[0] in _CN:
        return _CN[text[0]] * 10
    return None


@dataclass
class Review:
    """A number of a trading sentence that is not written as a figure, and why."""

    text: str
    why: str
    source: str


@dataclass
class Token:
    kind: str  # money | count | approx | rate | bare
    value: str
    unit: str
    start: int
    end: int
    raw: str
    digits: str = ""  # the number's digits, as numbers.numbers_in lists them (the accounting)


@dataclass
class Context:
    """What carries from clause to clause: the period, the paragraph's region or method, the lead measure."""

    year: int | None = None
    period: str | None = None
    period_error: str | None = None
    base: dict[str, Any] = field(default_factory=dict)
    lead_measure: str | None = None
    cumulative: str | None = None  # the last year-to-date period ('前三季度', '1-8月'): what '累计' refers to


class Grammar:
    """The reader of prose; ``book`` is the loaded phrasebook (see extract.Phrasebook)."""

    def __init__(self, book: Any) -> None:
        self.book = book
        units = "|".join(sorted((re.escape(w) for w in book.count_words), key=len, reverse=True))
        # '8.52亿余元', '1200余万元', '1200多万元', '100余元': a lower bound ('+'); '100余个': an estimate
        self.number = re.compile(
            rf"(?P<num>\d+(?:\.\d+)?)\s*(?P<pre>[余多])?(?:(?P<scale>亿|万)(?P<plus>[余多])?(?P<yuan>元|(?![{_CJK}]))"
            rf"|(?P<yuan2>元)|(?P<count>{units})(?![多余]?(?:月|工作日|小时|百分点))|(?P<pct>%))")
        self.measure_words = sorted(((w, m) for m, words in book.measures.items() for w in words),
                                    key=lambda wm: -len(wm[0]))

    # ----------------------------------------------------------------------------------------------- text
    def normalise(self, text: str) -> str:
        text = unicodedata.normalize("NFKC", text)
        text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)  # thousands separators
        text = re.sub(r"(?<=\d) +(?=\d)", "", text)
        text = re.sub(r"[ \t\u3000]+", "", text)
        text = _YI_WAN.sub(_in_wan, text)  # '8亿6400万元' is 86400万元, not 8亿元 and 6400万元
        return _SPLICED.sub("", text)

    def tokens(self, clause: str) -> list[Token]:
        found = []
        for m in self.number.finditer(clause):
            if m["pct"]:
                found.append(Token("approx" if m["pre"] else "rate", m["num"] + "%", "%", m.start(), m.end(), m[0],
                                   m["num"]))
            elif m["count"]:
                kind = "count" if not m["pre"] else "approx"
                found.append(Token(kind, m["num"], m["count"], m.start(), m.end(), m[0], m["num"]))
            else:
                unit = {"亿": "亿元", "万": "万元", None: "元"}[m["scale"]]
                plus = "+" if m["plus"] or m["pre"] else ""
                found.append(Token("money", m["num"] + plus, unit, m.start(), m.end(), m[0], m["num"]))
        # a number with no unit at the end of a clause after a measure word ('成交金额0.14'): unit not printed
        tail = re.search(r"(?<![\d.])(\d+\.\d+|\d+)$", clause)
        if tail and not any(t.start <= tail.start() < t.end for t in found) and self.measure_of(clause[:tail.start()]):
            found.append(Token("bare", tail[1], "", tail.start(), tail.end(), tail[1], tail[1]))
        return found

    def measure_of(self, label: str) -> str | None:
        """The measure whose phrase ends nearest the end of ``label`` (longest on ties); a deals word ('成交')
        only right before the number ('成交1宗', not '完成交易项目')."""
        best: tuple[int, int, str] | None = None
        for word in self.book.not_measures:
            label = label.replace(word, "〇" * len(word))
        for phrase, measure in self.measure_words:
            at = label.rfind(phrase)
            if measure == "deals" and not (label.endswith(phrase) or label.endswith(phrase + "项目")):
                continue
            if at >= 0:
                key = (at + len(phrase), len(phrase))
                if best is None or key > best[:2]:
                    best = (*key, measure)
        if best is None:
            return None
        return self._together(label[:best[0] - best[1]], best[2])

    def _together(self, before: str, measure: str) -> str:
        """Savings and premiums named together ('节约增值金额', '节约和增值资金额', '节资、增值') are the efficiency
        measure (增效节资), not the half whose word ends nearest the number."""
        other = _OTHER_HALF.get(measure)
        if other is None:
            return measure
        before = re.sub(r"[和及与、/]$", "", before)
        if any(before.endswith(phrase) for phrase, m in self.measure_words if m == other):
            return "efficiency_rate" if measure.endswith("_rate") else "efficiency"
        return measure

    # ----------------------------------------------------------------------------------------------- periods
    def periods_in(self, clause: str, ctx: Context, pub_year: int | None, fallback_year: int | None,
                   range_end: tuple[int | None, int] | None) -> None:
        """Update ``ctx.period`` from the period phrases of a clause (the last one wins)."""
        text = re.sub(rf"(?<!截止)(?<!截至){_DATE.pattern}", "", clause)  # a publication date is not a period
        taken: list[tuple[int, int]] = []
        matches = []
        for pattern, template in self.book.periods:
            for m in pattern.finditer(text):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                taken.append((m.start(), m.end()))
                matches.append((m.start(), m, template))
        for _start, m, template in sorted(matches, key=lambda x: x[0]):  # in reading order: the last one wins
            if True:
                groups = {k: v for k, v in m.groupdict().items() if v}
                if "y" in groups:
                    ctx.year = int(groups["y"])
                year = ctx.year or pub_year or fallback_year
                if template == "unclear":  # '截止2021年X月', '建市3年来': a period, but not one the ledger can take
                    ctx.period, ctx.period_error = None, f"'{m[0]}' names no period the ledger can take"
                    continue
                if template == "this month":
                    if range_end is not None:
                        year = year or range_end[0]
                    if range_end is None or year is None:
                        ctx.period, ctx.period_error = None, "'本月' names no month the passage states"
                    else:
                        ctx.period, ctx.period_error = f"{year}-{range_end[1]:02d}", None
                    continue
                values: dict[str, Any] = {"y": year}
                for key in ("m1", "m2"):
                    if key in groups:
                        values[key] = f"{chinese_int(groups[key]) or 0:02d}"
                if "q" in groups:
                    values["q"] = chinese_int(groups["q"])
                if "half" in groups:
                    values["half"] = "H1" if groups["half"] == "上" else "H2"
                if any(not 1 <= int(values[k]) <= 12 for k in ("m1", "m2") if k in values):
                    ctx.period, ctx.period_error = None, f"'{m[0]}' is not a month or a range of months"
                elif year is None:  # the file says so once ('no period found: give --year')
                    ctx.period, ctx.period_error = None, None
                else:
                    ctx.period, ctx.period_error = template.format(**values), None
                    if ctx.period.endswith(tuple(f"..{ctx.period[:4]}-{m:02d}" for m in range(1, 13))) \
                            and "-01.." in ctx.period:
                        ctx.cumulative = ctx.period
        return None

    # ----------------------------------------------------------------------------------------------- scopes
    def mask_names(self, text: str, own: set[str]) -> str:
        """``text`` with its places, periods, dates and the reporting body's names as '〇' (same length): what the
        subject reader (subject.py) need not know as words."""
        def blank(m: re.Match[str]) -> str:
            return "〇" * len(m[0])

        text = _DATE.sub(blank, text)
        for pattern, _template in self.book.periods:
            text = pattern.sub(blank, text)
        for start, end, _name in self.places(text):
            text = text[:start] + "〇" * (end - start) + text[end:]
        for name in provinces():  # '湖北竹溪…', '山东全省'
            text = text.replace(name, "〇" * len(name))
        for name in sorted({*own, *(stem(n) for n in own if len(stem(n)) >= 2)}, key=len, reverse=True):
            text = text.replace(name, "〇" * len(name))  # '沙河全市' (沙河市), '来凤政府采购' (来凤县)
        return text

    def places(self, text: str) -> list[tuple[int, int, str]]:
        """Regions named in ``text``: divisions by their real name (places.py), then names the gazetteer lacks
        (a development zone, a new district) by pattern — two characters and a suffix before a trading word."""
        found = find_places(text)
        suffix = "|".join(self.book.place_suffixes)
        for m in re.finditer(rf"[{_CJK}]{{2}}(?:{suffix})(?=分中心|平台|交易|共|完成|累计|实施|\d|$)", text):
            if any(a < m.end() and m.start() < b for a, b, _ in found):
                continue
            if m[0].startswith(("全", "我", "该", "本", "各", "份", "月", "年", "度", "中")):
                continue
            found.append((m.start(), m.end(), m[0]))
        return sorted(found)

    def scope_of(self, prefix: str, own: set[str]) -> tuple[dict[str, Any] | None, str | None]:
        """(scope words found, review reason) for the words before a clause's first number."""
        book = self.book
        scope: dict[str, Any] = {}
        found = False
        text = prefix
        for phrase, value in book.regions:  # longest first
            if phrase in text:
                scope.update(value)
                text = text.replace(phrase, "〇")
                found = True
                if not value:
                    scope["_all"] = True
                break
        for start, end, name in self.places(text):
            if name in book.place_stop or name in own:
                continue
            if start > 0 and text[start - 1] in "和及与、":
                return None, f"'{text[:end]}' (regions together) is not a scope the ledger can express"
            scope.pop("level", None)
            scope["region"] = name
            found = True
        for word in book.unexpressible:
            if word in text:
                return None, f"'{word}' is not a scope the ledger can express"
        if kind := re.search(PURCHASE_KIND, text):  # 工程类采购: a kind of purchase, not 工程建设
            return None, f"'{kind[1]}采购' (a kind of purchase) is not a scope the ledger can express"
        if re.search(r"的(?:交易)?项目", text):
            return None, "a subject qualified by '…的项目' is not a scope the ledger can express"
        matches: list[tuple[int, int, dict[str, Any]]] = []
        at = 0
        while at < len(text):
            for phrase, value in book.scopes:
                if text.startswith(phrase, at):
                    if at > 0 and text[at - 1] == "非":
                        return None, f"'非{phrase}' is not a scope the ledger can express"
                    matches.append((at, at + len(phrase), value))
                    at += len(phrase)
                    break
            else:
                at += 1
        for method in sorted(book.methods, key=len, reverse=True):  # '询价采购' before '询价'
            if method in text:
                if f"非{method}" in text:
                    return None, f"'非{method}' is not a scope the ledger can express"
                scope["method"] = book.method_names.get(method, method)
                found = True
                break
        if matches:
            found = True
            categories: list[str] = []
            subcategories: list[str] = []
            for i, (start, _end, value) in enumerate(matches):
                if i and not re.fullmatch(r"[、和及与]|以及|和国有|", text[matches[i - 1][1]:start]):
                    categories, subcategories = [], []  # not joined: the later phrase names the scope
                cats = value.get("category")
                categories += cats if isinstance(cats, list) else ([cats] if cats else [])
                subs = value.get("subcategory")
                subcategories += subs if isinstance(subs, list) else ([subs] if subs else [])
            after = text[matches[-1][1]:]
            joined = re.match(rf"(?:[、和及与])([{_CJK}]{{2,6}}?)(?:交易|项目|类|[\d〇]|$)", after)
            if joined:
                return None, f"'{joined[1]}' in a combined scope is not a scope the ledger can express"
            before = text[:matches[0][0]]
            lead = re.search(rf"([{_CJK}]{{2,6}})[、和及与]$", before)
            if lead and not any(p in lead[1] for p, _ in book.regions):
                return None, f"'{lead[1]}' in a combined scope is not a scope the ledger can express"
            categories = list(dict.fromkeys(categories))
            if categories:
                scope["category"] = categories[0] if len(categories) == 1 else categories
            if subcategories:
                unique = list(dict.fromkeys(subcategories))
                scope["subcategory"] = unique[0] if len(unique) == 1 else unique
        return (scope if found else None), None


def publication_year(lines: list[str]) -> int | None:
    for line in lines:
        if m := _DATE.search(unicodedata.normalize("NFKC", line).replace(" ", "")):
            return int(m[1])
    return None


def last_range_end(text: str) -> tuple[int | None, int] | None:
    """(year, end month) of a 1—N月 range in the passage: what '本月' refers to in a monthly report."""
    text = unicodedata.normalize("NFKC", text)
    found = re.findall(r"(?:(\d{4})年)?(?:1|元|一)\s*[-—–~～至到]\s*(\d{1,2})月", text)
    return (int(found[-1][0]) if found[-1][0] else None, int(found[-1][1])) if found else None


def own_entities(lines: list[str], book: Any) -> set[str]:
    """Place names that name the reporting body itself ('巴中市公共资源交易平台', the title's '海港区财政局')."""
    own: set[str] = set()
    suffix = "|".join(book.place_suffixes)
    words = "|".join(re.escape(w) for w in book.own_entity)
    text = unicodedata.normalize("NFKC", "\n".join(lines))
    for m in re.finditer(rf"(?=([{_CJK}]{{2}}(?:{suffix}))(?:{words}))", text):  # overlapping: '四川泸州市'
        own.add(m[1])
    named = find_places(text)
    for start, end, name in named:
        if re.match(words, text[end:]):  # '鄂尔多斯市公共资源交易中心', '盘龙区财政局'
            own.add(name)
        if re.search(r"(?:省|自治区)$", text[max(0, start - 4):start]):  # '河北省玉田县': the subject, by address
            own.add(name)
    title = next((line for line in lines if line.strip() and not line.startswith("#")), "")
    if "。" not in title and len(title) < 60:
        own.update(m[1] for m in re.finditer(rf"(?=([{_CJK}]{{2}}(?:{suffix})))", title))
        # a division the title names, with or without its suffix ('河北玉田前三月…' → 玉田县)
        own.update(name for _s, _e, name in named if len(stem(name)) >= 2 and stem(name) in title)
        own.update(headline_place(title, book))
    own.update(name for name in provinces() if name in text)  # a province's report is about the province
    return own


def headline_place(title: str, book: Any) -> set[str]:
    """The place a headline starts with, by its short name ('来凤政府采购上半年…' → 来凤县, '湖北竹溪2013年…' → 竹溪县,
    '上半年厦门政府采购…' → 厦门市): a news title names the reporting body first, after its province or period."""
    text = unicodedata.normalize("NFKC", title)
    lead = re.sub(rf"^(?:{'|'.join(provinces())})", "", text)
    for pattern, _template in book.periods:
        lead = re.sub(rf"^(?:{pattern.pattern})", "", lead)
    lead = re.sub(r"^(?:\d{4}年)", "", lead)
    return {name for name in gazetteer() if len(stem(name)) >= 2 and lead.startswith(stem(name))}


def split_brackets(sentence: str, book: Any) -> tuple[str, list[str]]:
    """Drop notes in brackets ('(含开发区)', a date); brackets holding numbers ('(其中,X交易额99.20万元)', '(含分散
    采购项目10个,…)', '(单一来源采购1个,公开招标2个)') are returned to be read as parts of the figure before them."""
    parts: list[str] = []

    def replace(m: re.Match[str]) -> str:
        inner = m[1]
        if numbers_in(inner):
            parts.append(inner)
            return ""
        if inner.startswith(tuple(book.notes_in_brackets)) or re.search(r"\d", inner):
            return ""
        return m[0]

    return _BRACKET.sub(replace, sentence), parts
