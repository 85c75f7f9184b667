"""The subject of a number: are all its words known?

A figure's scope is read from the words before its number. A word the phrasebook does not know may narrow the
subject ('社会进场交易项目175个', '国企采购5个', '乡镇累计政府采购额', '子项目69个'): reading past it would write the
number as a figure of the wider scope. So the words of the subject are read closed-world: each must be a word of
the phrasebook (a scope, region, method, measure, trading or filler word), a place, a period or the reporting body;
any other word puts the number up for review, saying which word it was.

The subject is the noun phrase the number belongs to: the words after the last verb ('完成', '实现', '办理' …), once
a trailing verb or measure right before the number is set aside ('土地出让7笔', '企业国有产权成交12宗').
"""

from __future__ import annotations

import re
from typing import Any

_CJK = re.compile(r"[\u4e00-\u9fff]")
_COMPARED = frozenset({"比", "较", "相比"})


_VOCABULARIES: dict[int, tuple[Any, tuple[tuple[str, ...], frozenset[str], frozenset[str]]]] = {}


def _vocabulary(book: Any) -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
    """(every known word, longest first; the verbs that end a subject; the words that may follow a subject)."""
    if id(book) in _VOCABULARIES and _VOCABULARIES[id(book)][0] is book:
        return _VOCABULARIES[id(book)][1]
    known = {p for p, _ in book.regions} | {p for p, _ in book.scopes} | set(book.methods) | set(book.place_stop)
    known |= {w for words in book.measures.values() for w in words} | set(book.amount_verbs)
    known |= set(book.total_words) | set(book.trading_words) | set(book.parts) | set(book.continuations)
    known |= set(book.status_words) | set(book.growth_words) | set(book.share_words) | set(book.approximate_words)
    known |= set(book.own_entity) | set(book.filler_words) | set(book.subject_ends) | set(book.nothing_traded)
    known |= set(getattr(book, "forecast_words", ()))
    trailing = {w for words in book.measures.values() for w in words} | set(book.amount_verbs)
    trailing |= set(book.subject_ends) | set(book.filler_words) | set(book.approximate_words)
    found = (tuple(sorted(known, key=len, reverse=True)), frozenset(book.subject_ends), frozenset(trailing))
    _VOCABULARIES[id(book)] = (book, found)
    return found


def _words(text: str, known: tuple[str, ...]) -> list[tuple[bool, str]]:
    """(known?, word) left to right: the longest known word at each place, unknown characters run together."""
    out: list[tuple[bool, str]] = []
    at = 0
    while at < len(text):
        word = next((w for w in known if text.startswith(w, at)), None)
        if word:
            out.append((True, word))
            at += len(word)
            continue
        if out and not out[-1][0]:
            out[-1] = (False, out[-1][1] + text[at])
        else:
            out.append((False, text[at]))
        at += 1
    return out


def unknown_subject(prefix: str, book: Any, masked: str) -> str | None:
    """The first word of the number's subject that the phrasebook does not know, or None. ``masked`` is ``prefix``
    with its places, periods, own names and quoted names already replaced by '〇' (same length)."""
    known, ends, trailing = _vocabulary(book)
    words = _words(masked, known)
    while words and (words[-1][1] in trailing if words[-1][0] else not _CJK.search(words[-1][1])):
        words.pop()  # '…成交', '…交易额达', '…、': what stands right before the number
    compared = [i for i, (k, w) in enumerate(words) if k and w in _COMPARED]
    if compared:  # '较采购计划节约资金', '比预算价节约资金': the base of the measure, not the subject
        words = words[:compared[-1]]
    last_end = max((i for i, (k, w) in enumerate(words) if k and w in ends), default=-1)
    for is_known, word in words[last_end + 1:]:
        chars = "".join(_CJK.findall(word))
        if not is_known and chars:
            return chars
    return None
