"""Figures from a bulletin's running text, clause by clause (the grammar is in grammar.py).

A clause with a scope word starts a figure; the numbers after it fill its measures. A clause without one goes on
with the figure before it in the same sentence, or starts a figure of the paragraph's scope. '其中' makes the
figures after it parts of the figure before it: they inherit its scope and narrow it. Every number of a trading
sentence that is not written as a figure is written as a review note saying why.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ggzy.bulletins.figures import Extracted
from ggzy.bulletins.grammar import (
    PURCHASE_KIND,
    Context,
    Grammar,
    Token,
    last_range_end,
    own_entities,
    publication_year,
    split_brackets,
)
from ggzy.bulletins.numbers import QUOTED, unaccounted
from ggzy.bulletins.subject import unknown_subject

RATES = ("savings_rate", "premium_rate", "efficiency_rate")
_KIND = "(?:货物|工程|服务)类?"  # a kind of purchase
# a list of ways of trading a sentence's figures are about together ('公开招标、竞争性谈判、单一来源等方式')
_MEANS = re.compile(r"[^,;]{0,40}等(?:方式|形式|途径|渠道)")
# a clause that only names the period compared with, leading a sentence ('去年同期,', '与上年同期相比,')
_COMPARED = re.compile(r"(?:与|和|较|比|同)?(?:去年|上年|前年|上一年|\d{4}年)同期(?:相比|比较|对比)?"
                       r"|(?:与|和|较|比)(?:去年|上年|前年|上一年)(?:相比|比较|对比)?")
# the whole centre's trading ('各类公共资源交易项目', '全市公共资源交易额'): no procurement report
_WHOLE = r"(?:各类|全市|全县|全区|全省)公共资源交易|各类交易|公共资源交易(?:项目|额|总额|金额|总量|量|规模|总|共)"
PLACES = ("region", "level")  # where a figure is: a region by name, or a centre level (a group of regions)
MONEY = ("amount", "budget", "reserve", "savings", "premium", "efficiency")


def read_prose(lines: list[str], book: Any, year: int | None = None) -> list[Extracted]:
    grammar = Grammar(book)
    text = "\n".join(lines)
    state = _State(grammar, book, Context(), publication_year(lines), year, last_range_end(text),
                   own_entities(lines, book), _default_scope(grammar, text, book))
    figures: list[Extracted] = []
    for block, line in enumerate(lines, start=1):
        paragraph = grammar.normalise(line)
        figures += state.paragraph(paragraph, block)
    _contradictions(figures)
    return [f for f in figures if f.values or f.note or f.review]


def _rounded_alike(one: str, other: str) -> bool:
    """'70' and '70.11', '8.2' and '8.23': the value with fewer decimals is the other one rounded."""
    a, b = (Decimal(v.rstrip("%")) for v in (one, other))
    places = min(-a.as_tuple().exponent, -b.as_tuple().exponent)  # type: ignore[operator]
    step = Decimal(1).scaleb(-places)
    return a.quantize(step, ROUND_HALF_UP) == b.quantize(step, ROUND_HALF_UP)


def _contradictions(figures: list[Extracted]) -> None:
    """A second, different value for a measure of a scope and period already read ('完成政府采购24617.99万元' …
    '通过公开招标…等方式采购161批次,实际完成政府采购24227.1万元') is of a narrower scope the grammar did not see:
    it is put up for review, not written. A lower bound (1600+) contradicts no exact value, nor does the same value
    rounded ('节约资金达70亿元' … '节约资金70.11亿元')."""
    seen: dict[tuple[Any, ...], str] = {}
    for figure in list(figures):
        if figure.note or figure.review or not figure.values:
            continue
        scope = tuple(sorted((k, str(v)) for k, v in figure.scope.items()))
        for measure, value in list(figure.values.items()):
            key = (scope, figure.period, measure)
            first = seen.setdefault(key, value)
            if first.endswith("+") or value.endswith("+") or _rounded_alike(first, value):
                continue
            unit = figure.units.get(measure, "")
            figure.values.pop(measure)
            figure.units.pop(measure, None)
            figure.origins.pop(measure, None)
            figures.insert(figures.index(figure) + 1, Extracted(
                {}, {"_text": f"{value}{unit}"}, source=figure.source, note=True,
                review=f"another {measure} of the same scope and period was read before ({first}{unit}): this one is "
                       "probably of a narrower scope the grammar did not see"))


def _default_scope(grammar: Grammar, text: str, book: Any) -> dict[str, Any]:
    """A passage whose only category word is 政府采购 is about procurement: its bare figures are procurement's
    ('工程类采购', '货物类、工程类和服务类采购金额' — kinds of purchase — are not 工程建设). One that reports the
    whole centre's trading ('各类公共资源交易项目856个', '全市公共资源交易额') is not, however few categories it names:
    its bare figures are the whole's."""
    if re.search(_WHOLE, re.sub(r"占[^,;。]*", "", grammar.normalise(text))):  # not a share's base ('占全市…')
        return {}
    text = re.sub(rf"{_KIND}(?:[、和及与]{_KIND})*[^,、和及与]{{0,8}}采购(?!类)", "〇", grammar.normalise(text))
    text = re.sub(PURCHASE_KIND, "〇", text)
    if "货物类" in text and "服务类" in text:  # '货物类项目45个…服务类项目45个…工程类项目7个': the three kinds
        text = text.replace("工程类", "〇")
    categories = set()
    for phrase, value in book.scopes:
        if phrase in text:
            text = text.replace(phrase, "〇")
            cats = value.get("category")
            categories.update(cats if isinstance(cats, list) else [cats] if cats else [])
    return {"category": "政府采购"} if categories == {"政府采购"} else {}


def _clauses(sentence: str) -> list[str]:
    """Clauses at , and :, and at 、 after a number's unit ('成交1宗、流拍1宗', '房屋市政工程43项、交通工程10项');
    a '分别为' clause keeps its list of values whole."""
    found: list[str] = []
    for clause in re.split(r"[,:]", sentence):
        found += [clause] if "分别" in clause else re.split(r"(?<=[元个项宗件笔次段%])、(?=\D)", clause)
    return found


class _State:
    def __init__(self, grammar: Grammar, book: Any, ctx: Context, published: int | None, year: int | None,
                 range_end: tuple[int | None, int] | None, own: set[str], default: dict[str, Any]) -> None:
        self.g, self.book, self.ctx = grammar, book, ctx
        self.blocked: str | None = None
        self.compared: str | None = None  # the sentence is about the period compared with ('去年同期,…')
        self.numbers_seen = False  # the sentence has had a number before this clause
        self.unread_before = False  # the sentence before had numbers and wrote none as a figure
        self.means: str | None = None  # the sentence lists the ways its figures were traded ('…等方式')
        self.part_of_unread = False  # the clauses are parts (其中…) of numbers that went to review
        self.read: list[str] = []  # the digits of the numbers the current segment's figures and review lines use
        self.previous_clause = ""  # the clause before, in the same segment (what a '分别' list may refer to)
        self.subject: dict[str, Any] | None = None
        self.next_subject: dict[str, Any] | None = None
        self.published, self.year, self.range_end, self.own, self.default = published, year, range_end, own, default

    def paragraph(self, paragraph: str, block: int) -> list[Extracted]:
        book, ctx = self.book, self.ctx
        ctx.base, ctx.lead_measure = {}, None
        self.subject = self.next_subject = None
        self.unread_before = False
        out: list[Extracted] = []
        parent: Extracted | None = None  # the head figure of the previous sentence: what 其中 narrows
        previous_ignored = False
        unread_lead = False  # the last segment that had numbers wrote none as a figure: what a '其中' after it narrows
        last: Extracted | None = None
        paragraph = re.sub(r"《[^》]*》", "《》", paragraph)  # a document's title names no scope
        for sentence_text in paragraph.split("。"):
            current = None
            carried_parent: Extracted | None = None  # after 其中, the sentence's later segments are parts too
            heads = 0
            said = len(out)
            self.blocked = None  # an unreadable scope holds for the rest of the sentence, across its ';'
            self.compared = None  # so does a period of comparison that leads it ('去年同期,全市完成…')
            self.numbers_seen = False
            self.means = None
            self.part_of_unread = False
            self.subject = self.next_subject
            for raw in sentence_text.split(";"):
                if not raw.strip(",:"):
                    continue
                self.read = []
                sentence, bracketed = split_brackets(raw, book)
                stripped = sentence.lstrip(",:、一二三四五六七八九十()0123456789.")
                is_part = stripped.startswith(tuple(book.parts))
                plain = sentence
                for name in book.not_ignore:  # '行政审批局' names an office, not an approval
                    plain = plain.replace(name, "〇")
                if any(w in plain for w in book.ignore) or (previous_ignored and is_part):
                    previous_ignored = True  # said, not read: its numbers are still shown
                    self._account(raw, out, "a sentence about something other than trading figures (审批, 评审, "
                                            "场外 …): not read")
                    continue
                previous_ignored = False
                if not self._trading(sentence_text) and not (is_part and parent is not None):
                    self._account(raw, out, None)
                    continue
                if stripped.startswith(tuple(book.continuations)):
                    current = last
                head: Extracted | None = None
                part_parent = parent if is_part else carried_parent
                self.part_of_unread = self.part_of_unread or (is_part and unread_lead)
                self.previous_clause = ""
                said_here = len(out)
                for clause in _clauses(sentence):
                    if clause.startswith(tuple(book.parts)):
                        part_parent = head or parent
                        clause = clause[len(book.parts[0]):]
                        if head is None and len(out) > said_here:  # '公开招标方式项目11个(review),其中:…'
                            self.part_of_unread = True
                    made = self.clause(clause, raw, block, current, part_parent, out)
                    self.previous_clause = clause
                    current = made
                    if head is None and made is not None and made.values:
                        head = made
                carried_parent = part_parent
                for inner in bracketed:  # '(含分散采购项目10个,交易额99.2万元)': parts of the figure before it
                    self._bracket(inner, raw, block, current, out)
                if (head is not None and not is_part) or (head is not None and parent is None):
                    parent = head
                # a part of the same category after '其中' (a '…;分散采购中…' in a list of parts) is no new subject
                narrower = head is not None and part_parent is not None and part_parent is not head \
                    and head.scope.get("category") == part_parent.scope.get("category")
                heads += head is not None and not is_part and not narrower
                last = current or last
                self._account(raw, out, None)
                if head is not None:
                    unread_lead = False
                elif len(out) > said_here:
                    unread_lead = True
            # a sentence about one figure is the subject of a next sentence with no scope word of its own
            # ('会议要求,…规范交易行为。' between them, a sentence with no number, changes no subject)
            if len(out) > said or heads:
                self.next_subject = parent.scope if heads == 1 and parent is not None else None
                # a sentence whose numbers all went to review may have been about the next one's subject
                self.unread_before = all(f.note or f.review for f in out[said:])
        self._sums(out)
        return out

    def _bracket(self, inner: str, source: str, block: int, whole: Extracted | None, out: list[Extracted]) -> None:
        """A bracket with numbers after a figure lists its parts ('含…', '其中…', '单一来源采购1个,公开招标2个'):
        each part must name what narrows it (a scope word or its own period), else it is for review."""
        inner = re.sub(rf"^(?:{'|'.join(map(re.escape, (*self.book.parts, *self.book.notes_in_brackets)))}),?", "",
                       inner)
        current = None
        self.blocked = None
        for clause in _clauses(inner):
            current = self.clause(clause, source, block, current, whole, out, bracket=True)

    def _account(self, source: str, out: list[Extracted], why: str | None) -> None:
        """Every number of a trading segment (one that names trading, an amount or a measure, or that the grammar
        took a number from) is a figure's value or a review line: those the grammar did not use become review lines
        (numbers.py), so that '0 to review' is said only when it is true."""
        plain = source
        for word in self.book.not_measures:  # '增值税' is a tax, not a premium
            plain = plain.replace(word, "〇")
        if not (self.read or self._trading(source) or any(w in plain for w in self.book.trade_marks)):
            return  # a segment with no trading word that the grammar took nothing from ('接待群众200余万人次')
        for printed in unaccounted(source, self.read):
            digits = re.match(r"\d+(?:\.\d+)?", printed)
            self.read.append(digits[0] if digits else printed)
            reason = why or _unread_reason(printed, self.book)
            out.append(Extracted({}, {"_text": printed}, source=source.strip(","), review=reason, note=True))

    def _trading(self, sentence: str) -> bool:
        book = self.book
        for word in book.not_measures:
            sentence = sentence.replace(word, "〇")
        return ("交易" in sentence or any(p in sentence for p, _ in book.scopes)
                or bool(re.search(r"\d[亿万]?元", sentence))  # an amount: shown, as a figure or for review
                or any(w in sentence for words in book.measures.values() for w in words))

    def clause(self, clause: str, source: str, block: int, current: Extracted | None, parent: Extracted | None,
               out: list[Extracted], bracket: bool = False) -> Extracted | None:
        g, book, ctx = self.g, self.book, self.ctx
        named = clause
        clause = QUOTED.sub(lambda m: m[0][0] + "〇" * (len(m[0]) - 2) + m[0][-1], clause)  # a name is no scope
        growth = any(w in clause for w in (*book.growth_words, *book.forecast_words))
        before = ctx.period
        if not growth:  # '占全年政府采购预算…的87.5%': a period after a share word is the total's, not the clause's
            share_at = min((clause.find(w) for w in book.share_words if w in clause), default=len(clause))
            g.periods_in(clause[:share_at], ctx, self.published, self.year, self.range_end)
        if "累计" in clause and ctx.period == before and before and ctx.cumulative \
                and re.fullmatch(r"\d{4}-\d{2}", before) and ctx.cumulative.endswith(before):
            ctx.period = ctx.cumulative  # '累计' after '9月份' is the year to that month ('前三季度')
        tokens = g.tokens(clause)
        if not tokens and not self.numbers_seen and _COMPARED.fullmatch(clause):  # '去年同期,全市完成…': not now
            self.compared = clause
            return None
        self.numbers_seen = self.numbers_seen or bool(tokens)
        if self.compared and tokens:
            if ctx.period == before:
                return self._review_all(tokens, f"the sentence is about the period compared with ('{self.compared}'), "
                                                "not the bulletin's", source, out)
            self.compared = None  # the clause names its own period
        if _MEANS.search(clause[:tokens[0].start] if tokens else clause):
            self.means = _MEANS.search(clause)[0]  # type: ignore[index]
        if self.part_of_unread and tokens:  # '公开招标方式项目11个,…;其中:房屋市政类项目7个': parts of an unread scope
            return self._review_all(tokens, "a part (其中…) of a figure that was put up for review: it is as narrow as "
                                            "that figure's scope", source, out)
        if self.means and tokens:  # '通过公开招标、竞争性谈判…等方式采购161批次,实际完成政府采购24227.1万元'
            return self._review_all(tokens, f"the sentence is about what was traded in the ways it lists "
                                            f"('{self.means}'), not a scope the ledger can express", source, out)
        prefix = clause[:tokens[0].start] if tokens else clause
        scope, why = g.scope_of(prefix, self.own)
        if any(w in prefix for w in book.share_words):
            scope, why = None, None  # '占全市的62.6%' says what the share is of, not what follows
        if scope and self.default.get("category") == "政府采购" and scope.get("category") == "工程建设" \
                and not any(w in prefix for w in ("工程建设", "建设工程")):
            scope, why = None, "'工程' in a procurement report is a kind of purchase (工程类), not 工程建设"
        if tokens and tokens[0].kind in ("count", "approx") and not why:  # '完成12个跨省远程异地评标项目'
            before_number = re.match(r"[^\d,、]*", clause[tokens[0].end:])  # always matches (maybe empty)
            noun = before_number[0] if before_number else ""
            why = next((f"'{w}' is not a scope the ledger can express" for w in book.unexpressible if w in noun), None)
            scope = None if why else scope
        if tokens and not why and not any(w in prefix for w in (*book.share_words, *book.growth_words)) \
                and (unknown := unknown_subject(prefix, book, g.mask_names(prefix, self.own))):
            scope, why = None, f"'{unknown}' in its subject is not a word of the phrasebook"
        source = source.strip(",")
        if "分别" in clause and tokens and not growth and not any(w in clause for w in book.share_words):
            return self._respectively(clause, tokens, source, block, parent, out) or current
        if scope is None and (quoted := QUOTED.search(named[:len(prefix)])) and len(quoted[0]) > 3:
            self.blocked = f"a named project or subset ({quoted[0]}) is not a scope the ledger can express"
            if not tokens:
                return None
        if not tokens:
            if why:  # '常态化开展远程异地评标,远程异地评标971次,成交金额39.55亿元': what follows is about it
                self.blocked = why
                return None
            if scope and "category" not in scope and not scope.get("_all"):
                ctx.base = {k: v for k, v in scope.items() if k in (*PLACES, "method")}
            elif scope and scope.get("_all"):
                ctx.base = {}
            if scope and "category" in scope and any(w in clause for w in book.nothing_traded):
                figure = self._new(self._narrow(parent, scope), source, block, parent)
                figure.values["count"] = "0"
                out.append(figure)
                return figure
            if scope is None and re.match(r"从.*看$", clause) and (measure := g.measure_of(clause)) in MONEY:
                ctx.lead_measure = measure
            return current
        if bracket and scope is None and current is None and ctx.period == before and not why:
            why = "a part in brackets that names nothing narrower (no scope word of its own)"
        if why or (scope is None and self.blocked):
            self.blocked = why or self.blocked
            for token in tokens:
                out.append(self._note(token, f"{self.blocked}" if why else f"its scope is unclear: {self.blocked}",
                                      source))
            return None
        if scope is not None:
            self.blocked = None
            if any(k in scope for k in PLACES) and "category" in scope:
                ctx.base = {k: scope[k] for k in PLACES if k in scope}
            current = self._new(self._narrow(parent, scope), source, block, parent)
            out.append(current)
        elif (current is None or ctx.period != before) and parent is None and self.subject is None \
                and self.unread_before and not any(w in prefix for w in book.total_words):
            # '…集中采购预算X。其中,乡镇项目Y(review)。节约资金Z': whose savings?
            return self._review_all(tokens, "no subject of its own, and the sentence before had numbers the grammar "
                                            "could not place: it may be about them", source, out)
        elif current is None or ctx.period != before:
            scope_now = dict(self.subject) if parent is None and self.subject is not None else self._narrow(parent, {})
            bare = not (parent.scope if parent else (self.subject or self.ctx.base))
            if bare and self.default and all(t.kind in ("money", "rate") for t in tokens):
                bare = False  # a procurement report's bare amounts are procurement's; its counts need a subject
            if bare and not any(w in prefix for w in book.total_words):
                for token in tokens:  # '水电站招标项目交易12件': a subject the phrasebook does not know
                    out.append(self._note(token, "its subject is not a scope word of the phrasebook", source))
                return None
            current = self._new(scope_now, source, block, parent)
            out.append(current)
        if scope is None and current is not None and parent is not None and current is not parent \
                and self._listed_counts(current, out) and tokens[0].kind == "money" \
                and not set(parent.values) & {g.measure_of(clause[:tokens[0].start]) or "-"}:
            current = parent  # '其中,公开招标25项,邀请招标15项,拦标价总额…': the list of counts has ended
        start = 0
        for token in tokens:
            label = clause[start:token.start]
            start = token.end
            current = self._value(token, label, clause, current, source, block, parent, out,
                                  scope is not None or ctx.period != before)
        return current

    def _listed_counts(self, current: Extracted, out: list[Extracted]) -> bool:
        """Is ``current`` the last of two or more parts that each give a count only (a part put up for review
        counts too: '其中,公开招标方式25项(review),邀请招标15项,拦标价总额…' — the amounts are the whole's)?"""
        if not current.part_of_total or set(current.values) != {"count"}:
            return False
        counted = re.compile(rf"\d+(?:{'|'.join(map(re.escape, self.book.count_words))})")
        return any(f is not current and f.source == current.source
                   and ((f.part_of_total and not f.note and set(f.values) == {"count"})
                        or (f.note and counted.fullmatch(f.values.get("_text", "")))) for f in out)

    def _respectively(self, clause: str, tokens: list[Token], source: str, block: int, parent: Extracted | None,
                      out: list[Extracted]) -> Extracted | None:
        """'货物、工程、服务政府采购规模分别为14.71亿元、5.65亿元和12.36亿元': one value per subject, in order. A
        subject that is not a scope word puts every value of the list up for review (the list is not understood)."""
        g = self.g
        head = clause.partition("分别")[0]
        items = [i for i in re.split(r"[、和及与]", head) if i]
        measure = g.measure_of(head)
        scopes: list[tuple[dict[str, Any] | None, str | None]] = []
        cut = _measure_start(g, items[-1]) if items else 0
        tail = items[-1][cut:] if cut else ""  # the words after the last subject apply to every subject
        if len(items) == 1 and measure and cut == 0 and re.search(r"[、和及与]", self.previous_clause):
            # '乌海市、包头市和鄂尔多斯市位列前三,采购规模分别达到…': the subjects are the clause before
            tail, items = "", [i + head for i in re.split(r"[、和及与]", self.previous_clause) if i]
            cut = len(items[-1]) - len(head)
        for index, item in enumerate(items):
            if index < len(items) - 1:
                found = g.scope_of(item + tail, self.own)
                scopes.append(found if found[0] is not None or found[1] else g.scope_of(item, self.own))
                continue
            found = g.scope_of(item, self.own)
            stripped = g.scope_of(item[:cut], self.own) if cut else (None, None)
            scopes.append(stripped if stripped[0] is not None or stripped[1] else found)
        unread = [items[i] for i, (scope, why) in enumerate(scopes) if scope is None and not why]
        why_all = None
        if len(items) != len(tokens) or len(items) < 2:
            why_all = f"'分别' gives {len(tokens)} values for {len(items)} subjects"
        elif unread:
            why_all = f"'{unread[0]}' in a list of subjects is not a scope the ledger can express"
        made = None
        for index, token in enumerate(tokens):
            scope, why = scopes[index] if not why_all else (None, why_all)
            name = "count" if token.kind == "count" else measure
            if not why and token.kind != "count" and name not in (RATES if token.kind == "rate" else MONEY):
                why = "an amount with no measure word (交易金额, 节约资金 …) before it"
            if why or scope is None:
                out.append(self._note(token, why or why_all or "unclear", source))
                continue
            made = self._new(self._narrow(parent, scope), source, block, parent)
            made.values[name or "count"] = token.value
            made.origins[name or "count"] = source
            self.read.append(token.digits)
            made.units[name or "count"] = token.unit
            if token.kind == "money":
                made.unit = token.unit
            out.append(made)
        return made

    def _narrow(self, parent: Extracted | None, scope: dict[str, Any]) -> dict[str, Any]:
        base = dict(parent.scope) if parent is not None else dict(self.ctx.base)
        scope = dict(scope)
        if scope.pop("_all", False):
            base.pop("region", None)
            base.pop("level", None)
        if any(k in scope for k in PLACES):  # a region by name replaces a level, and the other way round
            for key in PLACES:
                base.pop(key, None)
        if "category" in scope:
            base.pop("subcategory", None)
        merged = {**base, **scope}
        if "category" not in merged and self.default:
            merged = {**self.default, **merged}
        return merged

    def _new(self, scope: dict[str, Any], source: str, block: int, parent: Extracted | None) -> Extracted:
        figure = Extracted(scope, source=source, block=block, part_of_total=parent is not None,
                           period=self.ctx.period)
        if self.ctx.period_error:
            figure.review = f"its period is unclear: {self.ctx.period_error}"
        return figure

    def _review_all(self, tokens: list[Token], why: str, source: str, out: list[Extracted]) -> Extracted | None:
        """Every number of a clause to review, for one reason; the clause's figure: none."""
        out.extend(self._note(token, why, source.strip(",")) for token in tokens)
        return None

    def _note(self, token: Token, why: str, source: str) -> Extracted:
        self.read.append(token.digits)
        return Extracted({}, {"_text": token.raw}, source=source, review=why, note=True)

    def _value(self, token: Token, label: str, clause: str, current: Extracted, source: str, block: int,
               parent: Extracted | None, out: list[Extracted], named: bool = True) -> Extracted:
        """Write one number into ``current`` (or a new figure of its scope when the measure is taken); ``named``:
        the clause names its own scope or period."""
        g, book = self.g, self.book
        measure = g.measure_of(label)
        bound = re.sub(r"(?:了|为|达|至|到)+$", "", label)  # '约为9%', '突破了3亿元', '达到'
        why = None
        if any(w in label for w in book.forecast_words):
            why = "a forecast or a target (预计/目标 …), not a published value"
        elif any(w in label for w in book.growth_words):
            why = "a change on another period (同比/环比/比…), not a published value"
        elif any(w in label for w in book.share_words):
            why = "a share of a total (占…), not a published value"
        elif token.kind == "approx" or (bound.endswith(tuple(book.approximate_words))
                                         and not bound.endswith(tuple(w for w, _ in g.measure_words))):
            why = "an estimate or a bound (近/约/超过/突破/…余), not an exact value"
        elif token.kind == "bare":
            why = "no unit is printed after it"
        elif any(label.endswith(w) or label.endswith(w + "项目") for w in book.status_words):
            why = "a count of one status (流拍/流标/终止/延期) is not a published measure"
        elif token.kind == "rate":
            if measure not in RATES:
                why = "a percentage with no rate word (节资率, 增值率 …) before it"
        elif token.kind == "money":
            if measure is None and self.ctx.lead_measure:  # '从…交易总额看' … '工程建设类94.7亿元'
                measure = self.ctx.lead_measure
            if measure in (None, "deals") and bound.endswith(tuple(book.amount_verbs)):
                measure = "amount"  # '公开招标56.25亿元': a trading verb right before an amount
            methods = "|".join(map(re.escape, book.methods))
            if measure is None and re.search(rf"(?:{methods})(?:采购)?(?:金额|规模|额)(?:为|达到|达)?$", label):
                measure = "amount"  # '公开招标金额为204.87亿元': what was traded by that method
            if measure not in MONEY:
                why = "an amount with no measure word (交易金额, 节约资金 …) before it"
        else:  # count
            if measure not in ("count", "deals"):
                measure = "count"
            if not current.scope and not any(w in label for w in (*book.trading_words, "项目")) \
                    and not any(w in clause for w in book.trading_words):
                why = "a count with no trading word or scope before it"
        if why:
            out.append(self._note(token, why, source))
            return current
        assert measure is not None
        if current.review and current.review.startswith("its period"):
            pass
        unit = token.unit
        if measure in current.values and not named and current.period == self.ctx.period:
            # '公开招标2个,询价4个': a second value of the same measure with no word of its own — not the same figure
            out.append(self._note(token, f"a second {measure} in a row, and the words before it name no scope the "
                                         "phrasebook knows", source))
            return current
        clash = measure in current.values or (token.kind == "money" and current.unit not in (None, unit))
        if clash:
            current = self._new(dict(current.scope), source, block, parent)
            out.append(current)
        if token.kind == "money":
            current.unit = unit
        current.values[measure] = token.value
        current.origins[measure] = source
        self.read.append(token.digits)
        current.units[measure] = unit
        return current

    def _sums(self, figures: list[Extracted]) -> None:
        """Category figures after a region's (level's) figure whose counts add up to that region's count are its
        parts (宣城: 市本级 109 = 60 + 24 + 24 + 1): they take its region."""
        def place(figure: Extracted) -> dict[str, Any]:
            return {k: figure.scope[k] for k in PLACES if k in figure.scope}

        for index, region in enumerate(figures):
            if not place(region) or "category" in region.scope or region.count() is None:
                continue
            later = [f for f in figures[index + 1:] if f.values and not f.note]
            run, total = [], 0
            for figure in later:
                if figure.source == region.source and figure.scope == region.scope:
                    continue  # the region's own other figure (a measure in another unit: '…136000万元,…2.52亿元')
                if "category" not in figure.scope or place(figure) or figure.period != region.period:
                    break
                if figure.count() is None:
                    continue
                run.append(figure)
                total += figure.count() or 0
                if total >= (region.count() or 0):
                    break
            if run and len(run) > 1 and total == region.count():
                for figure in run:
                    figure.scope = {**place(region), **figure.scope}
                    for other in later:  # the same categories' other figures (units split them)
                        if other is not figure and other.source == figure.source and not place(other) \
                                and other.scope.get("category") == figure.scope.get("category"):
                            other.scope = {**place(region), **other.scope}


def _measure_start(grammar: Grammar, text: str) -> int:
    """Where the measure words that end ``text`` start ('普洱市成交金额' → 3); 0 when no measure word ends it."""
    ends = [len(phrase) for phrase, _measure in grammar.measure_words if text.endswith(phrase)]
    return len(text) - max(ends) if ends else 0


def _unread_reason(printed: str, book: Any) -> str:
    """Why a number the grammar did not use is for review: its unit, or its words, are not a trading figure's."""
    unit = re.sub(r"^\d+(?:\.\d+)?[余多]?", "", printed)
    if unit and not re.fullmatch(r"[万亿]?元|%|" + "|".join(map(re.escape, book.count_words)), unit):
        return f"'{unit}' is not a unit of a trading figure (元, %, {'/'.join(book.count_words)}): not read"
    return "the grammar did not place it (no measure word or scope it knows around it): not read"
