"""Place names in a bulletin's text: the county- and prefecture-level divisions of China by name.

A region is read by its real name (data/places.yaml, GB/T 2260), not by a pattern of "two characters and 县":
one-character stems (萧县, 泗县, 歙县) and long ones (鄂尔多斯市, 三江侗族自治县) are found, and '中泗县' in '其中泗县'
is 泗县. A two-character name is taken only where a word can start ('完成县级' holds no 成县, '市和县' no 和县).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import yaml

SUFFIXES = "县市区旗州盟"
_CJK = ("\u4e00", "\u9fff")
# what may stand right before a two-character name: a period's end, a higher division, a part word
_LEFT_WORDS = ("其中", "同时", "此外", "另外", "以及", "年", "月", "份", "度", "底", "末", "省", "市", "区", "州", "盟")


@cache
def _data() -> dict:
    path = Path(str(resources.files("ggzy").joinpath("data/places.yaml")))
    return dict(yaml.safe_load(path.read_text(encoding="utf-8")))


def _names(key: str) -> frozenset[str]:
    return frozenset(str(name) for row in _data()[key] for name in (row if isinstance(row, list) else [row]))


@cache
def gazetteer() -> frozenset[str]:
    """County- and prefecture-level divisions by name."""
    return _names("places")


@cache
def provinces() -> tuple[str, ...]:
    """Province-level names, full and short ('内蒙古自治区', '内蒙古'), longest first."""
    return tuple(sorted(_names("provinces"), key=len, reverse=True))


def _cjk(char: str) -> bool:
    return _CJK[0] <= char <= _CJK[1]


def _word_start(text: str, start: int, end: int) -> bool:
    if end < len(text) and text[end] in "级城域委":
        return False
    return start == 0 or not _cjk(text[start - 1]) or text[:start].endswith(_LEFT_WORDS)


def find_places(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of every division named in ``text``, left to right, longest name first."""
    names = gazetteer()
    longest = max(len(n) for n in names)
    found: list[tuple[int, int, str]] = []
    taken = 0
    for end in range(2, len(text) + 1):
        if text[end - 1] not in SUFFIXES:
            continue
        for start in range(max(taken, end - longest), end - 1):
            name = text[start:end]
            if name in names and (len(name) > 2 or _word_start(text, start, end)):
                found.append((start, end, name))
                taken = end
                break
    return found


def stem(name: str) -> str:
    """'玉田县' → '玉田', '鄂尔多斯市' → '鄂尔多斯' (what a title may print without the suffix)."""
    return name[:-1] if name[-1:] in SUFFIXES else name
