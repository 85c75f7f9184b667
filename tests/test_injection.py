"""User text never escapes its role: scope values are bound parameters, rule expressions and `where:`
conditions are parsed into a small language, cell text is stored and written back verbatim and inert."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from support import GOOD, HEADER, run, workbook

INJECTIONS = ["x' OR '1'='1", "'; DROP TABLE trade_record; --", "市本级\" OR \"\"=\"", "1; DELETE FROM import_batch",
              "$$; DROP TABLE chain_link; $$", "%(id)s", "?", "\\x00"]


@pytest.fixture
def ledger(ledger_url: str, tmp_path: Path) -> str:
    run(ledger_url, "init")
    hostile = [["政府采购", "分散采购", text, "01", text, text, "成交", 100, 90, "2022-07-09"]
               for text in INJECTIONS[:4]]
    assert run(ledger_url, "import", "--no-check", str(workbook(tmp_path / "july.xlsx", [*GOOD, *hostile]))
               ).exit_code == 0
    return ledger_url


def listed(url: str, *args: str) -> list[dict]:
    result = run(url, "records", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["records"]


def test_cell_text_is_stored_verbatim(ledger: str) -> None:
    records = listed(ledger)
    assert set(INJECTIONS[:4]) <= {r["name"] for r in records} and len(records) == 7
    # codes are keys: the importer drops their spaces (as it does for every code), nothing else
    assert {text.replace(" ", "") for text in INJECTIONS[:4]} <= {r["project_code"] for r in records}


@pytest.mark.parametrize("value", INJECTIONS)
def test_scope_values_are_parameters(ledger: str, value: str) -> None:
    expected = [r for r in listed(ledger) if r["region"] == value]
    assert listed(ledger, "--region", value) == expected  # only a region literally named so
    assert len(listed(ledger, "--exclude", f"region={value}")) == 7 - len(expected)
    assert len(listed(ledger)) == 7  # and the tables are all still there
    assert json.loads(run(ledger, "verify", "--format", "json").stdout)["ok"] is True


def test_published_scopes_are_parameters(ledger: str, tmp_path: Path) -> None:
    published = tmp_path / "p.yaml"
    published.write_text("period: 2022-07\nfigures:\n"
                         "  - {region: \"x' OR '1'='1\", count: 1}\n"
                         "  - {region: \"'; DROP TABLE trade_record; --\", count: 1}\n", encoding="utf-8")
    result = json.loads(run(ledger, "reconcile", str(published), "--format", "json").stdout)
    assert [r["status"] for r in result["results"]] == ["ok", "ok"]
    assert len(listed(ledger)) == 7


@pytest.mark.parametrize("expression", ["deal); DROP TABLE trade_record; --", "__import__('os').getcwd()",
                                        "deal.__class__", "deal if 1 else budget", "budget[0]", "'x' + deal"])
def test_rule_expressions_are_parsed_not_pasted(ledger: str, tmp_path: Path, expression: str) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(f"include: default.yaml\nmeasures:\n  evil:\n    sum: {json.dumps(expression)}\n",
                     encoding="utf-8")
    (tmp_path / "default.yaml").write_text("measures:\n  count: {sum: 1, statuses: all}\n", encoding="utf-8")
    result = run(ledger, "rates", "--rules", str(rules))
    assert result.exit_code == 2 and f"{rules}:4" in result.stderr, result.output
    assert len(listed(ledger)) == 7


@pytest.mark.parametrize("condition", ["__import__('os').system('touch {marker}')", "@pd.io.common",
                                       "status.str.len() > 0", "category == 'x' or open('{marker}', 'w')",
                                       "[c for c in category]"])
def test_where_conditions_cannot_run_code(ledger: str, tmp_path: Path, condition: str) -> None:
    marker = tmp_path / "pwned"
    suite = tmp_path / "suite.yaml"
    suite.write_text("include: record\nexpectations:\n  - id: evil\n    type: expect_column_values_to_not_be_null\n"
                     f"    kwargs: {{column: category}}\n    where: {json.dumps(condition.format(marker=marker))}\n",
                     encoding="utf-8")
    result = run(ledger, "check", "--suite", str(suite))
    assert result.exit_code == 2 and f"{suite}:6" in result.stderr and "may only compare" in result.stderr
    assert not marker.exists()


def test_csv_export_keeps_formula_text_inert(ledger_url: str, tmp_path: Path) -> None:
    run(ledger_url, "init")
    rows = [["政府采购", "分散采购", "=HYPERLINK(\"http://x\",\"y\")", "01", "+cmd|' /C calc'!A0", "@SUM(1)", "成交",
             100, 90, "2022-07-09"]]
    path = workbook(tmp_path / "f.xlsx", rows, HEADER)
    import openpyxl

    wb = openpyxl.load_workbook(path)
    for cell in wb.active[2]:
        if isinstance(cell.value, str) and cell.value[:1] in "=+@":
            cell.data_type = "s"
    wb.save(path)
    assert run(ledger_url, "import", "--no-check", str(path)).exit_code == 0
    output = run(ledger_url, "--lang", "en", "records", "--format", "csv").stdout  # the ledger's own column names
    header, row = list(csv.reader(io.StringIO(output)))
    record = dict(zip(header, row, strict=True))
    assert record["project_code"] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert record["name"] == "'+cmd|' /C calc'!A0" and record["region"] == "'@SUM(1)"
    assert listed(ledger_url)[0]["project_code"].startswith("=HYPERLINK")  # JSON keeps the text as it was
