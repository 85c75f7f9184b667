"""A figure read from a bulletin, as it will be written to the published-figures file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Extracted:
    """One figure as it will be written: scope, values as written, the sentence it came from."""

    scope: dict[str, Any]
    values: dict[str, str] = field(default_factory=dict)
    unit: str | None = None
    source: str = ""
    review: str | None = None  # why a person must look at it (then it is written commented out)
    exclude: dict[str, Any] | None = None
    part_of_total: bool = False  # a component listed under a total (其中…) or a row of a table with a 合计
    block: int = 0  # the paragraph or table it was read from: a total's components share its block
    period: str | None = None  # the figure's own period (None: the file's)
    units: dict[str, str] = field(default_factory=dict)  # measure → unit as printed (亿元, 项, %, …)
    note: bool = False  # a number written only as a review line (growth, share, unknown word …)
    origins: dict[str, str] = field(default_factory=dict)  # measure → the segment its number was read from

    def count(self) -> int | None:
        return int(self.values["count"]) if "count" in self.values else None
