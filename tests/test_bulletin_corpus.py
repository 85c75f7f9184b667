"""The extractor over real passages with hand-labelled figures. The corpus (tests/bulletin_corpus: 40 passages,
20+ cities and counties) is what the grammar was tuned on: precision ≥ 0.98 of what it writes and recall ≥ 0.90 of
ALL labelled figures (a scope outside the vocabulary counts as a miss), and ≥ 0.90 of the figures a published file
can express. The held-out set (tests/bulletin_heldout: passages from other places, labelled before the extractor
was run on them) measures how that generalises; its bounds are lower and say so. The fresh set (tests/bulletin_fresh,
14 passages from 14 more places, labelled before the bulletins3 changes; README.md there) is the third such set, and
tests/bulletin_unseen4 (10 passages, labelled before the bulletins4 changes) the fourth. In all, every figure it cannot
express is on a review line. The tables are printed (pytest -s) and by
`make bulletin-score`."""

from __future__ import annotations

from pathlib import Path

import pytest
from ggzy.bulletins.score import Score, score_corpus, table, total

CORPUS = Path(__file__).parent / "bulletin_corpus"
HELDOUT = Path(__file__).parent / "bulletin_heldout"
FRESH = Path(__file__).parent / "bulletin_fresh"
UNSEEN4 = Path(__file__).parent / "bulletin_unseen4"


@pytest.fixture(scope="module")
def scores() -> list[Score]:
    return score_corpus(CORPUS)


@pytest.fixture(scope="module")
def heldout() -> list[Score]:
    return score_corpus(HELDOUT)


@pytest.fixture(scope="module")
def fresh() -> list[Score]:
    return score_corpus(FRESH)


@pytest.fixture(scope="module")
def unseen4() -> list[Score]:
    return score_corpus(UNSEEN4)


def _places(folder: Path, scores: list[Score]) -> set[str]:
    sources = {(folder / f"{s.name}.txt").read_text(encoding="utf-8").splitlines()[0] for s in scores}
    assert all(line.startswith("# source: http") for line in sources)
    return {s.name.split("-")[0] for s in scores} - {"city", "county", "district"}


def test_the_sets_are_real_broad_and_apart(scores: list[Score], heldout: list[Score], fresh: list[Score],
                                           unseen4: list[Score]) -> None:
    assert len(scores) >= 40 and len(_places(CORPUS, scores)) >= 20
    assert len(heldout) >= 15 and len(_places(HELDOUT, heldout)) >= 10
    assert len(fresh) >= 10 and len(_places(FRESH, fresh)) >= 10
    assert len(unseen4) >= 10 and len(_places(UNSEEN4, unseen4)) >= 8
    sets = ((CORPUS, scores), (HELDOUT, heldout), (FRESH, fresh), (UNSEEN4, unseen4))
    sources = [{(folder / f"{s.name}.txt").read_text(encoding="utf-8").splitlines()[0] for s in found}
               for folder, found in sets]
    for index, urls in enumerate(sources):
        assert not any(urls & other for other in sources[index + 1:])
    assert not _places(FRESH, fresh) & (_places(CORPUS, scores) | _places(HELDOUT, heldout))
    assert not _places(UNSEEN4, unseen4) & (_places(CORPUS, scores) | _places(HELDOUT, heldout)
                                            | _places(FRESH, fresh))


def test_precision_and_recall_on_the_corpus(scores: list[Score]) -> None:
    print("\n" + table(scores))
    overall = total(scores)
    assert overall.precision >= 0.98, overall.wrong
    assert overall.recall_all >= 0.90, overall.missed  # of every labelled figure
    assert overall.recall >= 0.90, overall.missed  # of the figures a published file can express
    for score in scores:  # no passage is read badly wholesale
        assert score.precision >= 0.80, (score.name, score.wrong)


def test_precision_and_recall_on_the_held_out_set(heldout: list[Score]) -> None:
    print("\n" + table(heldout))
    overall = total(heldout)
    assert overall.precision >= HELD_OUT_PRECISION, overall.wrong
    assert overall.recall >= HELD_OUT_RECALL, overall.missed


def test_precision_and_recall_on_the_fresh_set(fresh: list[Score]) -> None:
    print("\n" + table(fresh))
    overall = total(fresh)
    assert overall.precision >= HELD_OUT_PRECISION, overall.wrong
    assert overall.recall >= HELD_OUT_RECALL, overall.missed


def test_precision_and_recall_on_the_fourth_set(unseen4: list[Score]) -> None:
    """Bounds at the figures after the bulletins4 changes, which looked at this set's misses: tuned, no longer unseen
    (before: precision 0.810, recall 0.279 expressible, 0.149 all, 1 lost; tests/bulletin_unseen4/README.md)."""
    print("\n" + table(unseen4))
    overall = total(unseen4)
    assert overall.precision >= UNSEEN4_PRECISION, overall.wrong
    assert overall.recall >= UNSEEN4_RECALL, overall.missed
    assert overall.recall_all >= UNSEEN4_RECALL_ALL, overall.missed


def test_every_figure_it_cannot_express_is_on_a_review_line(scores: list[Score], heldout: list[Score],
                                                             fresh: list[Score], unseen4: list[Score]) -> None:
    lost = (total(scores).unreviewed + total(heldout).unreviewed + total(fresh).unreviewed
            + total(unseen4).unreviewed)
    assert not lost, lost


# Measured before any change on the held-out set: precision 0.639, recall 0.319 (expressible), 0.204 (all), 28
# inexpressible figures on no review line; after the general changes of the bulletins2 branch: 1.000, 0.889, 0.566,
# 0 (README "Published figures from a bulletin"). The fresh set before the bulletins3 changes: 0.627, 0.698, 0.503,
# 20 lost; after: see benchmarks/README.md. The bounds leave room: new passages will find new words.
HELD_OUT_PRECISION = 0.95
HELD_OUT_RECALL = 0.80
# The fourth set after the bulletins4 changes (tuned on): see tests/bulletin_unseen4/README.md.
UNSEEN4_PRECISION = 1.0
UNSEEN4_RECALL = 0.80
UNSEEN4_RECALL_ALL = 0.43
