"""Print the bulletin extractor's score on the labelled corpus: `make bulletin-score` (issue 18).

With --misses, also list each passage's missed and wrong figures."""

from __future__ import annotations

import sys
from pathlib import Path

from ggzy.bulletins.score import score_corpus, table

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "bulletin_corpus"

if __name__ == "__main__":
    scores = score_corpus(CORPUS)
    print(table(scores))
    if "--misses" in sys.argv:
        for s in scores:
            for fact in s.missed:
                print(f"MISSED {s.name}: {fact}")
            for fact in s.wrong:
                print(f"WRONG  {s.name}: {fact}")
