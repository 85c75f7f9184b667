"""Metamorphic tests of the bulletin extractor (issue 18): transformations of the labelled real passages that must not
change what it writes, or must turn a figure into a review line.

Every transformation keeps the meaning of the labelled figures, or adds a number whose figure it says in advance:
  a  a sentence or a clause about something else inserted between sentences / clauses;
  b  two independent clause groups ('工程建设项目12个,交易额3亿元' | '政府采购项目5个,…') swapped;
  c  a qualifier after a labelled amount that makes a new number a subset (其中乡镇…, (含…), 分散采购中…) or of
     another period or a comparison (去年同期…, 同比增长…%, 占全年…的…%, 2022年同期…);
  d  a measure word replaced by another word of the same measure from data/bulletin.yaml;
  e  full-width digits and punctuation, spaces, a line break after a comma inside a sentence;
  f  an amount restated in the other unit (1.2亿元 → 12000万元, 875.5万元 → 0.08755亿元).
The invariant: every figure written for a transformed passage is a labelled figure of the original (same scope,
measure, period; money compared as an exact amount, so a restated value is the same figure) or the one the
transformation expects — never a different value for a labelled scope; and every number of a trading segment is
still a figure or a review line (test_bulletin_numbers' own scanner). Figures that become review lines are counted
as lost, not as failures: a review line costs a look, a wrong figure an auditor's chase.

Run `.venv/bin/python tests/bulletin_perturb.py [--list]` for the counts per class (and each failure).
"""

from __future__ import annotations

import itertools
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from ggzy.bulletins.extract import extract, phrasebook
from ggzy.bulletins.score import _months, _scope, labelled

TESTS = Path(__file__).parent
SETS = ("bulletin_corpus", "bulletin_heldout", "bulletin_fresh", "bulletin_unseen4")
PASSAGES = sorted(p for folder in SETS for p in (TESTS / folder).glob("*.txt"))
CLASSES = ("a", "b", "c", "d", "e", "f")
_SCALE = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
_MEASURE_WORD = {"amount": "交易额", "savings": "节约资金", "budget": "预算金额", "premium": "增值额",
                 "reserve": "起始价", "efficiency": "增效节资"}
Fact = tuple[Any, ...]


def normal(fact: Fact) -> Fact:
    """A figure with its money as an exact amount in 元 ('1.2', 亿元 and '12000', 万元 are one figure)."""
    scope, measure, value, unit, months = fact
    if unit in _SCALE and re.fullmatch(r"\d+(?:\.\d+)?\+?", value):
        plus = "+" if value.endswith("+") else ""
        amount = (Decimal(value.rstrip("+")) * _SCALE[unit]).normalize()
        return scope, measure, f"{amount:f}{plus}", "元", months
    return scope, measure, value, unit, months


def written(text: str, year: int | None) -> set[Fact]:
    _period, figures = extract(text, year=year)
    found = set()
    for figure in figures:
        if figure.note or figure.review:
            continue
        for measure, value in figure.values.items():
            unit = figure.units.get(measure) or figure.unit or ""
            found.add(normal((_scope(figure.scope), measure, value, unit, _months(figure.period))))
    return found


@dataclass
class Variant:
    kind: str  # a … f
    what: str  # a short description for the failure list
    text: str
    accept: Callable[[Fact], bool] = field(default=lambda fact: False)  # the transformation's expected new figures


@dataclass
class Failure:
    variant: Variant
    passage: str
    wrong: list[Fact]
    unaccounted: list[tuple[str, str]]


# ----------------------------------------------------------------------------------------------- transformations
def _body(text: str) -> tuple[str, str]:
    """(source line, the rest) of a passage, the rest NFKC-normalised as the extractor reads it."""
    head, _, rest = text.partition("\n")
    return head + "\n", unicodedata.normalize("NFKC", rest)


def _inserted(text: str) -> Iterator[Variant]:
    """a: a sentence about something else after a sentence; a clause with no figure after a comma."""
    head, body = _body(text)
    sentences = ("会议要求,各单位要进一步规范交易行为。", "中心全年接待办事群众1.5万人次。",
                 "全市新增入库评标专家120人。", "全年共举办业务培训班12场次,培训人员600余人。",
                 "中心共受理投诉3件,均已办结。")
    for n, m in enumerate(list(re.finditer("。(?=.)", body))[:8]):
        sentence = sentences[n % len(sentences)]
        yield Variant("a", f"sentence after 。#{n}", head + body[:m.end()] + sentence + body[m.end():])
    for n, m in enumerate(list(re.finditer(r",(?=\D)", body))[:6]):
        yield Variant("a", f"clause after ,#{n}", head + body[:m.end()] + "不断提升服务水平," + body[m.end():])


def _groups(segment: str, book: Any) -> list[tuple[int, int]]:
    """Clause groups of a segment: a clause starting with a scope word and the clauses after it that start with a
    measure word ('工程建设项目12个', '交易额3亿元'); (first clause, end clause) indices."""
    scopes = tuple(p for p, _ in book.scopes)
    measures = tuple(w for words in book.measures.values() for w in words)
    clauses = segment.split(",")
    groups = []
    index = 0
    while index < len(clauses):
        if _scoped(clauses[index], scopes):
            end = index + 1
            while end < len(clauses) and clauses[end].startswith(measures):
                end += 1
            groups.append((index, end))
            index = end
        else:
            index += 1
    return groups


def _scoped(text: str, scopes: tuple[str, ...]) -> bool:
    """Does ``text`` start with a scope word (after a trading verb) and hold a number?"""
    return re.sub(r"^(?:完成|共完成|实现|办理)", "", text).startswith(scopes) and bool(re.search(r"\d", text))


_NOT_SWAPPABLE = re.compile(r"其中|分别|占|同比|累计|合计|共计|\d{4}年|\d月|季度|半年|[()]|全年|本级|县|区")


def _swapped(text: str) -> Iterator[Variant]:
    """b: two adjacent independent clause groups of a segment (each names its own scope word) swapped."""
    head, body = _body(text)
    book = phrasebook()
    count = 0
    lines = body.split("\n")
    for li, line in enumerate(lines):
        sentences = line.split("。")
        for si, sentence in enumerate(sentences):
            segments = sentence.split(";")
            scopes = tuple(p for p, _ in book.scopes)
            for gi in range(1, len(segments) - 1):  # two ';' segments of their own scope (not the first: a lead)
                one, two = segments[gi], segments[gi + 1]
                if _scoped(one, scopes) and _scoped(two, scopes) and not _NOT_SWAPPABLE.search(one + two):
                    swapped = [*segments[:gi], two, one, *segments[gi + 2:]]
                    sent = [*sentences[:si], ";".join(swapped), *sentences[si + 1:]]
                    count += 1
                    yield Variant("b", f"swap {one[:12]}… ↔ {two[:12]}…",
                                  head + "\n".join([*lines[:li], "。".join(sent), *lines[li + 1:]]))
            for gi, segment in enumerate(segments):
                clauses = segment.split(",")
                groups = _groups(segment, book)
                for (a0, a1), (b0, b1) in itertools.pairwise(groups):
                    if a1 != b0 or a0 == 0:  # not adjacent, or the first group leads the segment (its subject)
                        continue
                    one, two = ",".join(clauses[a0:a1]), ",".join(clauses[b0:b1])
                    if _NOT_SWAPPABLE.search(one + two):
                        continue
                    new = [*clauses[:a0], *clauses[b0:b1], *clauses[a0:a1], *clauses[b1:]]
                    swapped = [*segments[:gi], ",".join(new), *segments[gi + 1:]]
                    sent = [*sentences[:si], ";".join(swapped), *sentences[si + 1:]]
                    out = [*lines[:li], "。".join(sent), *lines[li + 1:]]
                    count += 1
                    yield Variant("b", f"swap {one[:12]}… ↔ {two[:12]}…", head + "\n".join(out))
                    if count >= 8:
                        return


def _other(value: str, body: str, factor: str = "0.37") -> str:
    """A value the passage does not print: ``value`` times ``factor``, two decimals."""
    new = (Decimal(value.rstrip("+")) * Decimal(factor)).quantize(Decimal("0.01"))
    while str(new) in body or new == 0:
        new += Decimal("0.13")
    return str(new)


def _shift_year(months: Any, by: int) -> Any:
    return tuple(f"{int(m[:4]) + by}{m[4:]}" for m in months) if months else months


def _qualifiers(word: str, new: str, unit: str, measure: str, months: Any, subset: Any
                ) -> list[tuple[str, str, Callable[[Fact], bool]]]:
    """(name, inserted text, the new figures it may make) of each qualifier of class c."""
    def none(fact: Fact) -> bool:
        return False

    def method(fact: Fact) -> bool:  # '其中公开招标…': a figure of that method is right
        return "公开招标" in dict(fact[0]).get("method", ())

    def dispersed(fact: Fact) -> bool:  # '分散采购中…': a figure of that subcategory is right
        return "分散采购" in dict(fact[0]).get("subcategory", ()) and "分散采购" not in subset

    found: list[tuple[str, str, Callable[[Fact], bool]]] = [
        ("其中乡镇", f",其中乡镇项目{word}{new}{unit}", none),
        ("(含…)", f"(含乡村振兴项目{word}{new}{unit})", none),
        ("其中商城", f",其中网上商城{word}{new}{unit}", none),
        ("分散采购中", f",分散采购中{word}{new}{unit}", dispersed),
        ("去年同期", f",去年同期{word}{new}{unit}", none),
        ("上年同期为", f",上年同期为{new}{unit}", none),
        ("比上年增加", f",比上年增加{new}{unit}", none),
        ("同比增长%", ",同比增长23.4%", none),
        ("占全年%", f",占全年{word}的23.4%", none),
        ("占全市%", f",占全市{word}的23.4%", none),
        ("其中公开招标", f",其中公开招标{word}{new}{unit}", method),
        ("其中中小企业", f",其中授予中小企业合同{word}{new}{unit}", none),
        ("。去年同期,…", f"。去年同期,全市完成交易项目9876个,{word}{new}{unit}。", none),
        ("。其中,乡镇…", f"。其中,乡镇项目完成{word}{new}{unit}。", none),
        ("上月", f",上月{word}{new}{unit}", none),
        ("上季度", f",上季度{word}{new}{unit}", none),
        ("预计全年", f",预计全年{word}{new}{unit}", none),
        ("目标", f",全年目标{word}{new}{unit}", none)]
    if months:
        shifted = _shift_year(months, -1)

        def last_year(fact: Fact) -> bool:  # '2022年同期…': a figure of the same months a year before is right
            return fact[4] == shifted and fact[1] == measure

        found.append(("Y-1年同期", f",{int(months[0][:4]) - 1}年同期{word}{new}{unit}", last_year))
    return found


def _qualified(text: str, facts: set[Fact]) -> Iterator[Variant]:
    """c: after a labelled amount, a number that is a subset or of another period; none is the labelled scope's."""
    head, body = _body(text)
    count = 0
    for scope, measure, value, unit, months in sorted(facts, key=str):
        if unit not in _SCALE or measure not in _MEASURE_WORD or value.endswith("+"):
            continue
        printed = f"{value}{unit}"
        at = [m.end() for m in re.finditer(rf"(?<![\d.]){re.escape(printed)}", body)]
        if len(at) != 1:
            continue
        end = at[0]
        word, new = _MEASURE_WORD[measure], _other(value, body)
        subset = dict(scope).get("subcategory", ())

        for name, insert, accept in _qualifiers(word, new, unit, measure, months, subset):
            cut = end
            if insert.startswith((",", "。")):  # after the clause (the sentence) the amount ends
                stop = re.search(r"[,;。\n]" if insert[0] == "," else r"。|\n|$", body[end:])
                cut = end + (stop.start() if stop else len(body) - end)
            rest = body[cut:]
            if insert.startswith("。") and rest.startswith("。"):
                rest = rest[1:]
            yield Variant("c", f"{name} after {printed}", head + body[:cut] + insert + rest, accept)
        count += 1
        if count >= 3:
            return


def _scope_synonyms(text: str) -> Iterator[Variant]:
    """d: a scope word replaced by another word of the same scope ('建设工程' → '工程建设')."""
    head, body = _body(text)
    book = phrasebook()
    same: dict[str, list[str]] = {}
    for phrase, value in book.scopes:
        if len(phrase) >= 3 and not phrase.endswith("类"):  # '工程类' is a kind of purchase in a procurement report
            same.setdefault(repr(sorted(value.items())), []).append(phrase)
    words = sorted((w for group in same.values() for w in group), key=len, reverse=True)
    group_of = {w: group for group in same.values() for w in group}
    count = 0
    for m in re.finditer("|".join(map(re.escape, words)), body):
        for other in [w for w in group_of[m[0]] if w != m[0]][:2]:
            count += 1
            yield Variant("d", f"{m[0]} → {other}", head + body[:m.start()] + other + body[m.end():])
        if count >= 6:
            return


_METHOD_FORMS = {"公开招标": "公开招标方式", "竞争性谈判": "竞争性谈判采购", "竞争性磋商": "竞争性磋商采购",
                 "单一来源": "单一来源采购", "询价": "询价采购", "邀请招标": "邀请招标方式"}


def _method_forms(text: str) -> Iterator[Variant]:
    """d: a trade method written in its longer form ('询价' → '询价采购', '公开招标' → '公开招标方式')."""
    head, body = _body(text)
    for short, long in _METHOD_FORMS.items():
        if short in body and long not in body and re.search(rf"{short}(?!采购|方式)", body):
            yield Variant("d", f"{short} → {long}", head + re.sub(rf"{short}(?!采购|方式)", long, body))


def _synonyms(text: str) -> Iterator[Variant]:
    """d: a measure word right before a number replaced by another word of the same measure."""
    head, body = _body(text)
    book = phrasebook()
    words = sorted(((w, m) for m, ws in book.measures.items() for w in ws), key=lambda wm: -len(wm[0]))
    measure_of = dict(words)
    pattern = re.compile("(?:" + "|".join(re.escape(w) for w, _ in words) + r")(?=(?:为|达到|达|了|是)?\d)")
    count = 0
    for m in pattern.finditer(body):
        measure = measure_of[m[0]]
        if measure == "deals":
            continue
        others = [w for w in book.measures[measure] if w != m[0] and "(" not in w and not w.endswith("的")]
        for other in others[:: max(1, len(others) // 3)][:3]:
            count += 1
            yield Variant("d", f"{m[0]} → {other}", head + body[:m.start()] + other + body[m.end():])
        if count >= 9:
            return


@cache
def _to_traditional() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


_FULL = str.maketrans({**{str(d): chr(0xFF10 + d) for d in range(10)}, ",": "，", ":": "：", ";": "；", "(": "（",
                       ")": "）", "%": "％", ".": "．"})


def _widths(text: str) -> Iterator[Variant]:
    """e: full-width digits and punctuation; spaces between a number and its unit; a line break after a comma."""
    head, body = _body(text)
    yield Variant("e", "full-width", head + body.translate(_FULL))
    yield Variant("e", "traditional script", head + _to_traditional().convert(body))
    yield Variant("e", "spaces", head + re.sub(r"(?<=\d)(?=[万亿元个项宗件%])", " ", body).replace(",", ", "))
    for n, m in enumerate(list(re.finditer(r"[,、](?=[^\n]*。)", body))[:4]):
        yield Variant("e", f"line break after {m[0]}#{n}", head + body[:m.end()] + "\n" + body[m.end():])


def _restated(text: str) -> Iterator[Variant]:
    """f: an amount in 亿元 restated in 万元, one in 万元 (≥ 1000) in 亿元; each alone and all at once."""
    head, body = _body(text)
    money = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(亿|万)元")

    def restate(m: re.Match[str]) -> str:
        value = Decimal(m[1])
        if m[2] == "亿":
            return f"{(value * 10_000).normalize():f}万元"
        return f"{(value / 10_000).normalize():f}亿元" if value >= 1000 else m[0]

    found = [m for m in money.finditer(body) if restate(m) != m[0]]
    for m in [m for m in money.finditer(body) if m[2] == "万"][:2]:  # '875.5万元' → '8755000元'
        yuan = f"{(Decimal(m[1]) * 10_000).normalize():f}元"
        yield Variant("f", f"{m[0]} → {yuan}", head + body[:m.start()] + yuan + body[m.end():])
    for m in found[:5]:
        yield Variant("f", f"{m[0]} → {restate(m)}", head + body[:m.start()] + restate(m) + body[m.end():])
    if len(found) > 1:
        yield Variant("f", "every amount restated", head + money.sub(restate, body))
    big = [m for m in money.finditer(body) if len(m[1].split(".")[0]) >= 4]
    for m in big[:2]:  # '22496.96万元' → '22,496.96万元'
        whole, _, part = m[1].partition(".")
        grouped = f"{int(whole):,}" + (f".{part}" if part else "")
        printed = f"{grouped}{m[2]}元"
        yield Variant("f", f"{m[0]} → {printed}", head + body[:m.start()] + printed + body[m.end():])
    split = [m for m in money.finditer(body) if m[2] == "亿" and "." in m[1] and len(m[1].split(".")[1]) <= 4
             and int(m[1].split(".")[0]) > 0]
    for m in split[:2]:  # '8.64亿元' → '8亿6400万元'
        whole, _, part = m[1].partition(".")
        wan = (Decimal("0." + part) * 10_000).normalize()
        printed = f"{whole}亿{wan:f}万元"
        yield Variant("f", f"{m[0]} → {printed}", head + body[:m.start()] + printed + body[m.end():])


def variants(text: str, facts: set[Fact]) -> Iterator[Variant]:
    yield from _inserted(text)
    yield from _swapped(text)
    yield from _qualified(text, facts)
    yield from _synonyms(text)
    yield from _scope_synonyms(text)
    yield from _method_forms(text)
    yield from _widths(text)
    yield from _restated(text)


# ----------------------------------------------------------------------------------------------- the check
def _year(passage: Path) -> int | None:
    facts = passage.with_name(passage.name.replace(".txt", ".facts.yaml"))
    return yaml.safe_load(facts.read_text(encoding="utf-8")).get("year")


def check(passage: Path) -> tuple[int, list[Failure], dict[str, int]]:
    """(variants tried, failures, labelled figures lost to review per class) for one passage."""
    from test_bulletin_numbers import _lost  # the numbers test's own scanner, not the extractor's

    year, truth = labelled(passage.with_name(passage.name.replace(".txt", ".facts.yaml")))
    text = passage.read_text(encoding="utf-8")
    truth_normal = {normal(f) for f in truth}
    base = written(text, year) & truth_normal
    tried, failures, lost = 0, [], dict.fromkeys(CLASSES, 0)
    for variant in variants(text, truth):
        tried += 1
        found = written(variant.text, year)
        wrong = sorted((f for f in found - truth_normal if not variant.accept(f)), key=str)
        missing = _lost(variant.text, year)
        if variant.kind != "c":
            lost[variant.kind] += len(base - found)
        if wrong or missing:
            failures.append(Failure(variant, f"{passage.parent.name[9:]}/{passage.stem}", wrong, missing))
    return tried, failures, lost


def run(passages: list[Path] = PASSAGES) -> tuple[dict[str, int], list[Failure], dict[str, int]]:
    tried = dict.fromkeys(CLASSES, 0)
    failures: list[Failure] = []
    lost = dict.fromkeys(CLASSES, 0)
    for passage in passages:
        _n, found, gone = check(passage)
        for variant in variants(passage.read_text(encoding="utf-8"), labelled(
                passage.with_name(passage.name.replace(".txt", ".facts.yaml")))[1]):
            tried[variant.kind] += 1
        failures += found
        for kind, n in gone.items():
            lost[kind] += n
    return tried, failures, lost


if __name__ == "__main__":
    tried, failures, lost = run()
    print(f"{'class':<6}{'variants':>9}{'wrong':>7}{'figures':>9}{'unacct':>8}{'lost→review':>13}")
    for kind in CLASSES:
        mine = [f for f in failures if f.variant.kind == kind]
        print(f"{kind:<6}{tried[kind]:>9}{sum(bool(f.wrong) for f in mine):>7}{sum(len(f.wrong) for f in mine):>9}"
              f"{sum(bool(f.unaccounted) for f in mine):>8}{lost[kind]:>13}")
    if "--list" in sys.argv:
        for failure in failures:
            print(f"\n{failure.variant.kind} {failure.passage}: {failure.variant.what}")
            for fact in failure.wrong:
                print(f"   WRONG {fact}")
            for number, segment in failure.unaccounted:
                print(f"   UNACCOUNTED {number} in {segment[:60]}")
