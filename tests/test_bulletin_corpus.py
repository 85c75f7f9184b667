"""The extractor over the corpus of real passages (tests/bulletin_corpus: 40 passages, 20+ cities and counties, each
with hand-labelled figures): precision ≥ 0.98 of what it writes, recall ≥ 0.90 of the figures a published file can
express, and every figure it cannot express is on a review line. The table is printed (pytest -s) and by
`make bulletin-score`."""

from __future__ import annotations

from pathlib import Path

import pytest
from ggzy.bulletins.score import score_corpus, table, total

CORPUS = Path(__file__).parent / "bulletin_corpus"


@pytest.fixture(scope="module")
def scores():  # type: ignore[no-untyped-def]
    return score_corpus(CORPUS)


def test_the_corpus_is_real_and_broad(scores) -> None:  # type: ignore[no-untyped-def]
    assert len(scores) >= 40
    sources = {(CORPUS / f"{s.name}.txt").read_text(encoding="utf-8").splitlines()[0] for s in scores}
    assert all(line.startswith("# source: http") for line in sources)
    places = {s.name.split("-")[0] for s in scores} - {"city", "county", "district"}
    assert len(places) >= 20, sorted(places)


def test_precision_and_recall_per_file_and_overall(scores) -> None:  # type: ignore[no-untyped-def]
    print("\n" + table(scores))
    overall = total(scores)
    assert overall.precision >= 0.98, overall.wrong
    assert overall.recall >= 0.90, overall.missed
    for score in scores:  # no passage is read badly wholesale
        assert score.precision >= 0.80, (score.name, score.wrong)


def test_every_figure_it_cannot_express_is_on_a_review_line(scores) -> None:  # type: ignore[no-untyped-def]
    lost = total(scores).unreviewed
    assert not lost, lost
