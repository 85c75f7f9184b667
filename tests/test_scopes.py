"""One resolution of scope labels for the command line and for published files: what one accepts, the other does."""

from __future__ import annotations

import json
from pathlib import Path

from support import GOOD, run, workbook


def test_a_subcategory_given_as_category_narrows_alike_on_the_command_line_and_in_a_published_file(
        ledger_url: str, tmp_path: Path) -> None:
    extra = ["政府采购", "分散采购", "CG-009", "01", "打印机", "市本级", "成交", 5000, 4000, "2022-07-09"]
    assert run(ledger_url, "import", str(workbook(tmp_path / "m.xlsx", [*GOOD, extra]))).exit_code == 0
    listed = json.loads(run(ledger_url, "records", "--category", "集中采购", "--format", "json").stdout)["records"]
    assert [r["project_code"] for r in listed] == ["CG-001"]
    published = tmp_path / "p.yaml"
    published.write_text("period: 2022-07\nunit: 元\nfigures:\n  - {category: 集中采购, count: 1, amount: 950000.50}\n",
                         encoding="utf-8")
    result = json.loads(run(ledger_url, "reconcile", str(published), "--format", "json").stdout)
    assert [r["status"] for r in result["results"]] == ["ok", "ok"]


def test_an_unknown_category_is_the_same_sentence_in_both(ledger_url: str, tmp_path: Path) -> None:
    cli = run(ledger_url, "records", "--category", "火星交易")
    published = tmp_path / "p.yaml"
    published.write_text("period: 2022-07\nfigures:\n  - {category: 火星交易, count: 1}\n", encoding="utf-8")
    from_file = run(ledger_url, "reconcile", str(published))
    assert cli.exit_code == from_file.exit_code == 2
    sentence = "unknown category '火星交易'; use one of"
    assert sentence in cli.stderr and sentence in from_file.stderr and f"{published}:3:" in from_file.stderr
