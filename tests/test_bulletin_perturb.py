"""Metamorphic tests of the bulletin extractor over the labelled passages (tests/bulletin_perturb.py): no
transformation that keeps a labelled figure's meaning, or that adds a subset, a comparison or another period, makes it
write a wrong figure, and every number of a trading segment stays a figure or a review line.

Before the bulletins5 changes (main bc5c64d) the harness found 335 of 5,717 transformed passages with wrong figures
(1,008 figures: a period from '2022年同期…', '预计全年…', a sentence led by '去年同期,' or about something else; a
whole-centre report read as a procurement report once '分散采购' was named; full-width pinyin glosses; a line break
after a comma; '8亿6400万元' read as 8亿元; an amount restated in 万元 splitting a region's figure; parts of a reviewed
figure written as the whole's; '…等方式') and 240 with numbers on neither a figure nor a review line; after, none.
`.venv/bin/python tests/bulletin_perturb.py --list` prints them."""

from __future__ import annotations

from pathlib import Path

import pytest
from bulletin_perturb import CLASSES, PASSAGES, Variant, check, normal, written
from ggzy.bulletins.score import labelled


@pytest.fixture(scope="module")
def results() -> dict[str, tuple[int, list, dict[str, int]]]:
    return {str(p): check(p) for p in PASSAGES}


@pytest.mark.parametrize("kind", CLASSES)
def test_no_transformation_writes_a_wrong_figure(kind: str, results: dict) -> None:
    failures = [f for _n, found, _lost in results.values() for f in found if f.variant.kind == kind]
    assert not failures, [(f.passage, f.variant.what, f.wrong[:3], f.unaccounted[:3]) for f in failures[:10]]


def test_every_class_has_variants() -> None:
    from bulletin_perturb import variants

    kinds: dict[str, int] = dict.fromkeys(CLASSES, 0)
    for passage in PASSAGES:
        for variant in variants(passage.read_text(encoding="utf-8"), labelled(_facts(passage))[1]):
            kinds[variant.kind] += 1
    assert all(n >= 10 for n in kinds.values()), kinds


def test_the_check_sees_a_wrong_figure() -> None:
    """The invariant is not vacuous: a labelled amount changed in the text is a wrong figure, and the same amount
    restated in the other unit is not."""
    passage = Path(__file__).parent / "bulletin_corpus" / "anqing-2015-01-10.txt"
    year, truth = labelled(_facts(passage))
    text = passage.read_text(encoding="utf-8")
    truth = {normal(f) for f in truth}
    assert written(text, year) <= truth
    assert written(text.replace("31.93亿元", "31.39亿元"), year) - truth  # another value: caught
    assert written(text.replace("31.93亿元", "319300万元"), year) <= truth  # the same amount: not a failure
    assert not Variant("c", "x", text).accept(next(iter(truth)))


def _facts(passage: Path) -> Path:
    return passage.with_name(passage.name.replace(".txt", ".facts.yaml"))
