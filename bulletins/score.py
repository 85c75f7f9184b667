"""Scoring the extractor against a corpus of hand-labelled passages (tests/bulletin_corpus).

A figure is the tuple (scope, measure, value as printed, unit, period). Precision is the share of written figures
that are labelled; recall the share of labelled figures that are written. Review lines are not figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from ggzy.bulletins.extract import extract
from ggzy.periods import parse_period

Fact = tuple[Any, ...]


def _scope(spec: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    items = []
    for key in ("category", "subcategory", "region", "method", "subset"):
        value = spec.get(key)
        if value is None:
            continue
        items.append((key, tuple(sorted(value)) if isinstance(value, list) else (value,)))
    return tuple(items)


def _months(period: str | None) -> tuple[str, ...] | None:
    return parse_period(str(period)).months if period else None


def labelled(facts: Path) -> tuple[int | None, set[Fact]]:
    data = yaml.safe_load(facts.read_text(encoding="utf-8"))
    return data.get("year"), {(_scope(f), f["measure"], str(f["value"]), str(f["unit"]), _months(f.get("period")))
                              for f in data["figures"]}


def extracted(text: str, year: int | None) -> tuple[set[Fact], int]:
    """(figures written, review lines written) for a passage."""
    _period, figures = extract(text, year=year)
    found: set[Fact] = set()
    reviews = 0
    for figure in figures:
        if figure.note or figure.review:
            reviews += 1
            continue
        for measure, value in figure.values.items():
            unit = figure.units.get(measure) or figure.unit or ""
            found.add((_scope(figure.scope), measure, value, unit, _months(figure.period)))
    return found, reviews


@dataclass
class Score:
    name: str
    labelled: int
    written: int
    right: int
    reviews: int
    missed: list[Fact]
    wrong: list[Fact]

    @property
    def precision(self) -> float:
        return self.right / self.written if self.written else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.labelled if self.labelled else 1.0


def score_corpus(folder: Path) -> list[Score]:
    scores = []
    for facts in sorted(folder.glob("*.facts.yaml")):
        passage = facts.with_name(facts.name.replace(".facts.yaml", ".txt"))
        year, truth = labelled(facts)
        found, reviews = extracted(passage.read_text(encoding="utf-8"), year)
        scores.append(Score(passage.stem, len(truth), len(found), len(truth & found), reviews,
                            sorted(truth - found, key=str), sorted(found - truth, key=str)))
    return scores


def table(scores: list[Score]) -> str:
    head = ("passage", "labelled", "written", "right", "review", "precision", "recall")
    lines = [f"{head[0]:<36} {head[1]:>8} {head[2]:>7} {head[3]:>5} {head[4]:>6} {head[5]:>9} {head[6]:>6}"]
    for s in scores:
        lines.append(f"{s.name:<36} {s.labelled:>8} {s.written:>7} {s.right:>5} {s.reviews:>6} "
                     f"{s.precision:>9.3f} {s.recall:>6.3f}")
    total = Score("overall", *(sum(getattr(s, k) for s in scores) for k in ("labelled", "written", "right",
                                                                          "reviews")), [], [])
    lines.append(f"{'overall':<36} {total.labelled:>8} {total.written:>7} {total.right:>5} {total.reviews:>6} "
                 f"{total.precision:>9.3f} {total.recall:>6.3f}")
    return "\n".join(lines)
