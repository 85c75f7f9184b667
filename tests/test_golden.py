"""Golden import cases: each tests/golden/<case>/input.* is imported into a fresh ledger (SQLite and PostgreSQL) and
what became of every row (records, held rows, 合计 checks) must equal tests/golden/<case>/expected.json.

Regenerate the expected files on purpose only: GGZY_REGOLD=1 pytest tests/test_golden.py, then review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from support import run

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir() and any(p.glob("input.*")))
RECORD_KEYS = ("category", "subcategory", "project_code", "section_code", "name", "region", "status", "method",
               "budget_fen", "control_price_fen", "reserve_fen", "deal_fen", "winner", "trade_date", "period",
               "source_sheet", "source_row")


def outcome(url: str, path: Path) -> dict:
    result = run(url, "import", str(path), "--format", "json")
    assert result.exit_code in (0, 1), result.output
    imported = json.loads(result.stdout)
    (item,) = imported["files"]
    assert item["rows"] == item["posted"] + item["unchanged"] + item["quarantined"] + item["conflicts"]
    records = json.loads(run(url, "records", "--format", "json").stdout)["records"]
    held = json.loads(run(url, "quarantine", "--format", "json").stdout)["quarantine"]
    return {
        "exit_code": result.exit_code,
        "counts": {k: item[k] for k in ("rows", "posted", "unchanged", "quarantined", "conflicts")},
        "records": sorted(({k: r[k] for k in RECORD_KEYS} for r in records),
                          key=lambda r: (r["source_sheet"], r["source_row"])),
        "held": [{"sheet": h["source_sheet"], "row": h["source_row"], "kind": h["kind"], "reasons": h["reasons"],
                  "raw": h["raw"]} for h in held],
        "totals": item["totals"],
        "findings": sorted(f["expectation"] for f in imported["findings"]),
    }


@pytest.mark.parametrize("case", CASES)
def test_golden_import(case: str, ledger_url: str) -> None:
    (source,) = (GOLDEN / case).glob("input.*")
    actual = outcome(ledger_url, source)
    expected_path = GOLDEN / case / "expected.json"
    if os.environ.get("GGZY_REGOLD") and ledger_url.startswith("sqlite"):  # PostgreSQL must then agree
        expected_path.write_text(json.dumps(actual, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert actual == expected


def test_golden_inputs_are_reproducible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The committed inputs are what tests/golden/make_inputs.py writes (so a case can be read as code)."""
    from support import load_script

    module = load_script("make_inputs", GOLDEN / "make_inputs.py")
    for case in CASES:
        (tmp_path / case).mkdir()
        (source,) = (GOLDEN / case).glob("input.*")
        (tmp_path / case / source.name).write_bytes(b"")
    monkeypatch.setattr(module, "HERE", tmp_path)
    for make in module.CASES:
        make()
    for case in CASES:
        (source,) = (GOLDEN / case).glob("input.*")
        assert (tmp_path / case / source.name).read_bytes() == source.read_bytes(), case
