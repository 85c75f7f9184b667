"""Score the importer on the unseen layouts, with no profile: what each layout's hand-written ``expect`` says
against what `ggzy import` gives.

    .venv/bin/python tests/layouts_unseen/score.py            # the table, and the figures of the README

A layout is read fully right when its exit code is the expected one and every expected record came out with
the expected category, code, status, amounts (fen) and date, and nothing else was posted. Per row: right,
wrong (a record with another category, amount or date, or a record that should not exist: silently wrong),
held (quarantined, with its reason), or missing (an exit 2 of a sheet that should have been read).
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from make_unseen import UNSEEN, Unseen  # noqa: E402

COMPARED = ("category", "project_code", "status", "trade_date", "deal_fen", "reserve_fen", "budget_fen",
            "control_price_fen")


@dataclass
class Score:
    name: str
    exit_code: int
    right: int = 0
    wrong: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    missing: int = 0
    stray: list[str] = field(default_factory=list)  # rows held that are no record of the form (a note, a total)
    error: str = ""

    @property
    def fully_right(self) -> bool:
        return not (self.wrong or self.held or self.missing or self.stray)


def outcome(url: str, path: Path) -> tuple[int, list[dict], list[dict], str]:
    from support import run

    result = run(url, "import", str(path), "--format", "json")
    if result.exit_code == 2:
        return 2, [], [], result.stderr.strip()
    records = json.loads(run(url, "records", "--format", "json").stdout)["records"]
    held = json.loads(run(url, "quarantine", "--format", "json").stdout)["quarantine"]
    return result.exit_code, records, held, ""


def score(layout: Unseen, url: str) -> Score:
    code, records, held, error = outcome(url, HERE / layout.name / layout.file)
    result = Score(layout.name, code, error=error)
    expect = layout.expect
    if expect["exit"] == 2:
        words = [w for w in expect["error"] if w not in error]  # type: ignore[union-attr]
        if code != 2 or words:
            result.wrong.append(f"expected a refusal naming {expect['error']}, got exit {code} {error[:200]}")
        else:
            result.right = 1
        return result
    by_code = {r["project_code"]: r for r in records}
    codes = {str(w["project_code"]) for w in expect["records"]} | set(expect.get("held", []))  # type: ignore
    result.stray = [f"row {h['source_row']}: {h['reasons']}" for h in held
                    if not any(c in json.dumps(h, ensure_ascii=False) for c in codes)]
    for wanted in expect["records"]:  # type: ignore[union-attr]
        got = by_code.pop(wanted["project_code"], None)
        if got is None:
            row = [h for h in held if wanted["project_code"] in json.dumps(h, ensure_ascii=False)]
            if row:
                result.held.append(f"{wanted['project_code']}: {row[0]['reasons']}")
            elif code == 2:
                result.missing += 1
            else:
                result.held.append(f"{wanted['project_code']}: neither posted nor held")
            continue
        differ = {k: (got.get(k), v) for k, v in wanted.items() if got.get(k) != v}
        if differ:
            result.wrong.append(f"{wanted['project_code']}: {differ}")
        else:
            result.right += 1
    for wanted_held in expect.get("held", []):  # type: ignore[attr-defined]
        if by_code.pop(wanted_held, None) is not None:
            result.wrong.append(f"{wanted_held}: posted, expected held")
        elif any(wanted_held in json.dumps(h, ensure_ascii=False) for h in held):
            result.right += 1
        elif code == 2:
            result.missing += 1
        else:
            result.wrong.append(f"{wanted_held}: neither posted nor held")
    for extra in by_code.values():
        where = f"{extra['source_sheet']}:{extra['source_row']}"
        result.wrong.append(f"unexpected record {extra['project_code']} ({where})")
    if code != expect["exit"] and result.fully_right:
        result.wrong.append(f"exit {code}, expected {expect['exit']}")
    return result


def main() -> None:
    from support import run

    rows = expected_rows = 0
    totals = {"layouts_right": 0, "right": 0, "wrong": 0, "held": 0, "missing": 0, "stray": 0}
    for layout in UNSEEN:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/ledger.db"
            run(url, "init")
            item = score(layout, url)
        expected_rows += len(layout.expect.get("records", [])) + len(layout.expect.get("held", [])) or 1  # refused: 1
        totals["layouts_right"] += item.fully_right
        totals["right"] += item.right
        totals["wrong"] += len(item.wrong)
        totals["held"] += len(item.held)
        totals["missing"] += item.missing
        totals["stray"] += len(item.stray)
        print(f"{'OK ' if item.fully_right else 'BAD'} {layout.name}: exit {item.exit_code}, right {item.right}, "
              f"wrong {len(item.wrong)}, held {len(item.held)}, missing {item.missing}, stray {len(item.stray)}")
        for line in [*item.wrong, *item.held, *item.stray]:
            print(f"      {line}")
        if item.error and not item.fully_right:
            print(f"      error: {item.error[:400]}")
    rows = expected_rows
    print(f"\n{totals['layouts_right']}/{len(UNSEEN)} layouts fully right; rows {rows}: right {totals['right']}, "
          f"wrong {totals['wrong']}, held {totals['held']}, missing (exit 2) {totals['missing']}; "
          f"non-record rows held {totals['stray']}")


if __name__ == "__main__":
    main()
