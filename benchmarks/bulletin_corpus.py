"""Print the bulletin extractor's score on the labelled corpus and on the held-out set: `make bulletin-score`
(issue 18).

The corpus (tests/bulletin_corpus) is what the grammar was tuned on; the held-out set (tests/bulletin_heldout)
was labelled before the extractor was run on it. With --misses, also list each passage's missed and wrong
figures; with --heldout, --fresh or --unseen4, only that set
(tests/bulletin_unseen4: the fourth set, labelled before the bulletins4 changes)."""

from __future__ import annotations

import sys
from pathlib import Path

from ggzy.bulletins.score import score_corpus, table

TESTS = Path(__file__).resolve().parent.parent / "tests"
SETS = {"corpus": TESTS / "bulletin_corpus", "held-out": TESTS / "bulletin_heldout", "fresh": TESTS / "bulletin_fresh",
        "unseen4": TESTS / "bulletin_unseen4"}

if __name__ == "__main__":
    for name, folder in SETS.items():
        only = [flag for flag in ("--heldout", "--fresh", "--unseen4") if flag in sys.argv]
        if only and f"--{name.replace('-', '')}" not in only:
            continue
        scores = score_corpus(folder)
        print(f"== {name} ({folder.name})")
        print(table(scores))
        if "--misses" in sys.argv:
            for s in scores:
                for fact in s.missed:
                    print(f"MISSED {s.name}: {fact}")
                for fact in s.wrong:
                    print(f"WRONG  {s.name}: {fact}")
                for fact in s.unreviewed or []:
                    print(f"LOST   {s.name}: {fact}")
