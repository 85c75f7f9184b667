"""Every number of a trading sentence, so that none is lost: the accounting behind "0 to review".

The grammar reads what it understands; this module lists what a sentence holds. A number is any run of digits that
is not a date or period ('2023年', '3月份', '1-4月', '6月20日', '三季度' has no digits), a time, an ordinal ('第8期'), a
reference ('附件1'), a code ('G682', '5G'), a list marker ('1.'), part of a quoted name ('“832”平台') or a name
itself (a number followed by a word that is not a unit: '12345热线'). After a
segment is read, each such number must have become a figure's value or a review line; one that has not is written
as a review line (prose.py), so a number is never dropped silently.
"""

from __future__ import annotations

import re
from collections import Counter

NUMBER = re.compile(r"\d+(?:\.\d+)?")
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|「[^」]*」|『[^』]*』")
_NOT_FIGURE = re.compile(
    r"\d{4}年度?(?:\d{1,2}月份?(?:\d{1,2}[日号])?)?"  # a year, a date
    r"|\d{4}-\d{1,2}(?:-\d{1,2})?"
    r"|\d{1,2}[-—–~～至到]\d{1,2}月份?"  # a range of months
    r"|[前近]?\d{1,2}个?月份?(?:\d{1,2}[日号])?"  # a month, a day, '前10个月'
    r"|\d{1,2}[日号](?!\d)"
    r"|\d{1,2}[:：]\d{2}(?:[:：]\d{2})?|\d{1,2}[时点](?:\d{1,2}分)?(?![\d百])"  # a time ('9点', not '2个百分点')
    r"|第\d+|\d+年(?:来|以来)|\d+季度"
    r"|(?:附件|附表|表|图|编号)\d+"
    r"|[A-Za-z]+\d+[A-Za-z\d]*|\d+[A-Za-z]+"  # a code
    r"|(?:^|(?<=[,:;]))\(?\d{1,2}[.、)](?!\d)"  # a list marker
)
_UNIT = re.compile(r"[余多]?(?:[万亿][余多]?元?|元|%|个百分点|标段|批次|场次|人次|平方米|公顷"
                   r"|[个项宗件笔次家户人条份期批场所座台套辆亩天])?")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def numbers_in(text: str) -> list[tuple[str, str]]:
    """(digits, the number as printed with its unit) of every number of ``text`` that could be a figure."""
    masked = QUOTED.sub(lambda m: "〇" * len(m[0]), text)
    masked = _NOT_FIGURE.sub(lambda m: "〇" * len(m[0]), masked)
    found = []
    for m in NUMBER.finditer(masked):
        unit = _UNIT.match(text, m.end())
        end = unit.end() if unit else m.end()
        if end == m.end() and _CJK.match(text, end):  # '12345热线', '832平台': a name, not a quantity
            continue
        found.append((m[0], text[m.start():end]))
    return found


def unaccounted(text: str, read: list[str]) -> list[str]:
    """The numbers of ``text`` (as printed) that are neither a figure's value nor a review line: ``read`` lists the
    digits the grammar used, one entry per use."""
    left = Counter(read)
    missing = []
    for digits, printed in numbers_in(text):
        if left[digits] > 0:
            left[digits] -= 1
        else:
            missing.append(printed)
    return missing
