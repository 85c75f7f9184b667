"""One resolution of scope labels for the command line and for published files: what one accepts, the other does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
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


def test_政府集中采购_is_the_集中采购_part_everywhere(ledger_url: str, tmp_path: Path) -> None:
    """The review found 政府集中采购 read as all of 政府采购 on the command line, in a published file and in an
    imported row's type column, while the bulletin extractor read it as 集中采购: a word now means one thing."""
    rows = [["政府集中采购", None, "CG-101", "01", "纸张", "市本级", "成交", 1000, 900, "2022-07-05"],
            ["政府采购", "分散采购", "CG-102", "01", "桌椅", "市本级", "成交", 2000, 1900, "2022-07-06"]]
    assert run(ledger_url, "import", str(workbook(tmp_path / "m.xlsx", rows))).exit_code == 0
    listed = json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"]
    assert {r["project_code"]: r["subcategory"] for r in listed} == {"CG-101": "集中采购", "CG-102": "分散采购"}
    narrowed = json.loads(run(ledger_url, "records", "--category", "政府集中采购", "--format", "json").stdout)
    assert [r["project_code"] for r in narrowed["records"]] == ["CG-101"]
    published = tmp_path / "p.yaml"
    published.write_text("period: 2022-07\nunit: 元\nfigures:\n  - {category: 政府集中采购, count: 1, amount: 900}\n",
                         encoding="utf-8")
    result = json.loads(run(ledger_url, "reconcile", str(published), "--format", "json").stdout)
    assert [r["status"] for r in result["results"]] == ["ok", "ok"]


def test_a_word_is_a_category_or_a_subcategory_never_both(tmp_path: Path, monkeypatch) -> None:
    from ggzy.errors import InputError
    from ggzy.vocab import vocabulary

    assert not set(vocabulary().category_alias) & set(vocabulary().subcategory_alias)  # the shipped words
    folder = tmp_path / "ggzy.d"
    folder.mkdir()
    (folder / "categories.yaml").write_text("categories:\n  procurement:\n    aliases: [集采]\n", encoding="utf-8")
    monkeypatch.setenv("GGZY_VOCAB_DIR", str(folder))
    with pytest.raises(InputError, match=r"'集采' is both a category word .* and a subcategory word"):
        vocabulary()
