"""Scoring the extractor against a corpus of hand-labelled passages (tests/bulletin_corpus).

A figure is the tuple (scope, measure, value as printed, unit, period). Precision is the share of written figures
that are labelled; recall the share of labelled figures that are written. Review lines are not figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from ggzy.bulletins.extract import extract, phrasebook
from ggzy.periods import parse_period
from ggzy.vocab import vocabulary

Fact = tuple[Any, ...]


def _level_words() -> set[str]:
    """Names that are centre levels, not regions: the phrasebook's and the vocabulary's."""
    return {str(v["level"]) for _, v in phrasebook().regions if "level" in v} | set(vocabulary().levels)


def _scope(spec: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """A scope in the vocabulary's terms, so that a label and a written figure compare alike: a subcategory
    written as a category (罚没财物) is that category's subcategory, aliases are canonical, a level written as a
    region (市本级) is a level. Words outside the vocabulary are kept as printed."""
    vocab = vocabulary()
    spec = dict(spec)
    found: dict[str, list[str]] = {}

    def values(key: str) -> list[str]:
        value = spec.get(key)
        return [] if value is None else [str(v) for v in value] if isinstance(value, list) else [str(value)]

    for label in values("category"):
        if (category := vocab.category(label)) is not None:
            found.setdefault("category", []).append(vocab.label(category))
        elif (pair := vocab.subcategory(label)) is not None:
            found.setdefault("category", []).append(vocab.label(pair[0]))
            found.setdefault("subcategory", []).append(pair[1])
        else:
            found.setdefault("category", []).append(label)
    categories = [vocab.category(c) for c in found.get("category", [])]
    within = categories[0] if len(set(categories)) == 1 else None
    for label in values("subcategory"):
        pair = vocab.subcategory(label, within)
        found.setdefault("subcategory", []).append(pair[1] if pair else label)
    levels = _level_words()
    for label in values("region"):
        found.setdefault("level" if label in levels else "region", []).append(label)
    for key in ("level", "method", "subset"):
        found[key] = found.get(key, []) + values(key)
    return tuple((key, tuple(sorted(set(found[key])))) for key in SCOPE_ORDER if found.get(key))


SCOPE_ORDER = ("category", "subcategory", "region", "level", "method", "subset")


def _months(period: str | None) -> tuple[str, ...] | None:
    return parse_period(str(period)).months if period else None


def expressible(fact: Fact) -> bool:
    """Can a published-figures file say this figure's scope, with the shipped vocabulary? Not for words outside
    it (货物类, a subset named by a document or a channel), a level it does not define (城区, 市、区两级: a user's
    regions.yaml can), or a combined region ('四县(市)和渌口区')."""
    vocab = vocabulary()
    scope = dict(fact[0])
    if "subset" in scope:
        return False
    if any(vocab.category(c) is None for c in scope.get("category", ())):
        return False
    if any(vocab.subcategory(s) is None for s in scope.get("subcategory", ())):
        return False
    if any(vocab.level(level) is None for level in scope.get("level", ())):
        return False
    return not any(mark in r for r in scope.get("region", ()) for mark in "、和")


def labelled(facts: Path) -> tuple[int | None, set[Fact]]:
    data = yaml.safe_load(facts.read_text(encoding="utf-8"))
    return data.get("year"), {(_scope(f), f["measure"], str(f["value"]), str(f["unit"]), _months(f.get("period")))
                              for f in data["figures"]}


def extracted(text: str, year: int | None) -> tuple[set[Fact], int, str]:
    """(figures written, review lines written, the text of the review lines) for a passage."""
    _period, figures = extract(text, year=year)
    found: set[Fact] = set()
    reviews = 0
    reviewed = ""
    for figure in figures:
        if figure.note or figure.review:
            reviews += 1
            reviewed += " " + " ".join(figure.values.values())
            continue
        for measure, value in figure.values.items():
            unit = figure.units.get(measure) or figure.unit or ""
            found.add((_scope(figure.scope), measure, value, unit, _months(figure.period)))
    return found, reviews, reviewed


@dataclass
class Score:
    name: str
    labelled: int
    written: int
    right: int
    reviews: int
    missed: list[Fact]
    wrong: list[Fact]
    expressible: int = 0  # labelled figures whose scope a published file can say
    right_expressible: int = 0
    unreviewed: list[Fact] | None = None  # inexpressible labelled figures whose number is on no review line

    @property
    def precision(self) -> float:
        return self.right / self.written if self.written else 1.0

    @property
    def recall(self) -> float:
        """Of the figures a published file can express."""
        return self.right_expressible / self.expressible if self.expressible else 1.0

    @property
    def recall_all(self) -> float:
        return self.right / self.labelled if self.labelled else 1.0


def score_corpus(folder: Path) -> list[Score]:
    scores = []
    for facts in sorted(folder.glob("*.facts.yaml")):
        passage = facts.with_name(facts.name.replace(".facts.yaml", ".txt"))
        year, truth = labelled(facts)
        found, reviews, reviewed = extracted(passage.read_text(encoding="utf-8"), year)
        can = {f for f in truth if expressible(f)}
        cannot = truth - can
        scores.append(Score(passage.stem, len(truth), len(found), len(truth & found), reviews,
                            sorted(truth - found, key=str), sorted(found - truth, key=str), len(can),
                            len(can & found),
                            [f for f in sorted(cannot, key=str) if f[2].rstrip("%+") not in reviewed]))
    return scores


def total(scores: list[Score]) -> Score:
    return Score("overall", sum(s.labelled for s in scores), sum(s.written for s in scores),
                 sum(s.right for s in scores), sum(s.reviews for s in scores),
                 [f for s in scores for f in s.missed], [f for s in scores for f in s.wrong],
                 sum(s.expressible for s in scores), sum(s.right_expressible for s in scores),
                 [f for s in scores for f in s.unreviewed or []])


def table(scores: list[Score]) -> str:
    """Per passage and overall: precision of written figures, recall of the expressible labelled figures, recall of
    all labelled figures, and how many inexpressible ones are on no review line (should be 0)."""
    head = ("passage", "labelled", "express", "written", "right", "review", "precision", "recall", "all", "lost")
    lines = [f"{head[0]:<34} " + " ".join(f"{h:>9}" for h in head[1:])]
    for s in [*scores, total(scores)]:
        cells = (s.labelled, s.expressible, s.written, s.right, s.reviews, f"{s.precision:.3f}", f"{s.recall:.3f}",
                 f"{s.recall_all:.3f}", len(s.unreviewed or []))
        lines.append(f"{s.name:<34} " + " ".join(f"{c:>9}" for c in cells))
    return "\n".join(lines)
