"""The 1,679 real award notices from Yichang (tests/fixtures/realdata), written to a workbook and imported."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from ggzy.vocab import vocabulary
from support import ROOT, new_pg_database, run, table_rows

Yichang = tuple[str, dict, list[dict], list[dict]]  # ledger URL, the file's import result, records, quarantine

DATA = ROOT / "tests" / "fixtures" / "realdata" / "yichang-awards-2025.json"


@pytest.fixture(scope="module")
def yichang_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The notices as one sheet, one column per key any notice has."""
    notices = json.loads(DATA.read_text(encoding="utf-8"))
    header: list[str] = []
    for notice in notices:
        header += [k for k in notice if k not in header]
    folder = tmp_path_factory.mktemp("yichang")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "中标结果"
    sheet.append(header)
    for notice in notices:
        sheet.append([notice.get(k) for k in header])
    workbook.save(folder / "yichang.xlsx")
    return folder / "yichang.xlsx"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def yichang(request: pytest.FixtureRequest, yichang_workbook: Path,
            tmp_path_factory: pytest.TempPathFactory) -> Yichang:
    """The workbook imported with the shipped profile, once per module and database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('yichang-ledger') / 'ledger.db'}"
    else:
        url = new_pg_database(request.getfixturevalue("pg_admin_url"))
    assert run(url, "init").exit_code == 0
    result = run(url, "import", str(yichang_workbook), "--profile", "yichang-awards", "--format", "json")
    assert result.exit_code == 1, result.output  # rows were held
    (item,) = json.loads(result.stdout)["files"]
    records = json.loads(run(url, "records", "--format", "json").stdout)["records"]
    held = json.loads(run(url, "quarantine", "--format", "json").stdout)["quarantine"]
    return url, item, records, held


def test_every_notice_is_accounted_for(yichang: Yichang) -> None:
    _url, item, records, held = yichang
    notices = json.loads(DATA.read_text(encoding="utf-8"))
    assert item["rows"] == len(notices) == 1679
    assert item["rows"] == item["posted"] + item["unchanged"] + item["quarantined"] + item["conflicts"]
    assert len(records) == item["posted"] and len(held) == item["quarantined"] + item["conflicts"]
    # a row number for every notice: header is row 1
    seen = sorted([r["source_row"] for r in records] + [h["source_row"] for h in held])
    assert seen == list(range(2, 1681))


def test_free_text_and_percentage_prices_are_held_with_the_reason(yichang: Yichang) -> None:
    _url, _item, _records, held = yichang
    by_price = {h["raw"]["中标价(报价承诺)"]: h["reasons"] for h in held if h["raw"].get("中标价(报价承诺)")}
    assert "is a percentage" in by_price["49.23%"]
    assert "free text" in by_price["价格系数78.00%"]
    assert all(("percentage" in reason or "free text" in reason or "is a price per" in reason)
               for price, reason in by_price.items() if not re.fullmatch(r"[\d.]+元?", price))
    assert "is a price per 年" in by_price["3168639.13元/年"]  # a yearly fee is not the award's amount
    percentages = [p for p in by_price if re.fullmatch(r"\d+(\.\d+)?%", p)]
    assert len(percentages) > 30


def test_prices_written_with_yuan_are_posted_exactly(yichang: Yichang) -> None:
    _url, _item, records, _held = yichang
    notices = json.loads(DATA.read_text(encoding="utf-8"))
    for notice in notices:
        if notice.get("中标价(报价承诺)") == "595000.00元":
            code = notice["标段(包)编号"]
    record = next(r for r in records if r["section_code"] == code)
    assert record["deal_fen"] == 59_500_000


def test_republished_sections_are_conflicts(yichang: Yichang) -> None:
    _url, item, records, held = yichang
    notices = json.loads(DATA.read_text(encoding="utf-8"))
    codes = [n["标段(包)编号"] for n in notices]
    repeated = {c for c in codes if codes.count(c) > 1}
    conflicts = [h for h in held if h["kind"] == "conflict"]
    assert item["conflicts"] == len(conflicts) >= 1
    for conflict in conflicts:
        assert conflict["raw"]["标段(包)编号"] in repeated and "re-published" in conflict["reasons"]
        assert any(r["section_code"] == conflict["raw"]["标段(包)编号"] for r in records)  # the first one posted


def test_category_comes_from_the_code_in_the_section_number(yichang: Yichang) -> None:
    _url, _item, records, held = yichang
    vocab = vocabulary()
    for record in records:
        assert (record["category"], record["subcategory"]) == vocab.from_code(record["section_code"])
    subcategories = {r["subcategory"] for r in records}
    assert {"房屋建筑", "市政", "水利", "公路"} <= subcategories
    unknown = [h for h in held if "project-type code" in h["reasons"]]
    assert unknown and all(re.search(r"code (A1\d)", h["reasons"]) for h in unknown)


def test_trade_date_from_the_publication_date(yichang: Yichang) -> None:
    _url, _item, records, _held = yichang
    notices = {n["标段(包)编号"]: n for n in json.loads(DATA.read_text(encoding="utf-8"))}
    sample = records[0]
    assert sample["trade_date"] == notices[sample["section_code"]]["公告发布日期"]
    assert all(r["period"] == r["trade_date"][:7] for r in records)


def test_without_the_profile_nothing_is_guessed(ledger_url: str, yichang_workbook: Path) -> None:
    """The notices have no trade date column, only a publication date: without the profile the import stops
    before writing anything, naming that header and the profile line that would map it (not a guess)."""
    empty = table_rows(ledger_url)
    result = run(ledger_url, "import", str(yichang_workbook), "--format", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert "no column holds the 成交日期 (trade date)" in result.stderr
    assert "公告发布日期 (a date word with its event: a publication date" in result.stderr
    assert "\ncolumns:\n  公告发布日期: trade_date" in result.stderr
    assert json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"] == []
    assert table_rows(ledger_url) == empty


def test_the_suggested_profile_reads_the_notices(ledger_url: str, yichang_workbook: Path, tmp_path: Path) -> None:
    """`ggzy profile suggest` writes a profile whose guessed line, once accepted, reads what the shipped
    yichang-awards profile reads."""
    written = tmp_path / "suggested.yaml"
    result = run(ledger_url, "profile", "suggest", str(yichang_workbook), "-o", str(written))
    assert result.exit_code == 0, result.output
    text = written.read_text(encoding="utf-8")
    assert "  公告发布日期: trade_date   # GUESS" in text
    imported = run(ledger_url, "import", str(yichang_workbook), "--profile", str(written), "--format", "json")
    (again,) = json.loads(imported.stdout)["files"]
    assert imported.exit_code == 1
    assert again["rows"] == len(json.loads(DATA.read_text(encoding="utf-8"))) == (
        again["posted"] + again["unchanged"] + again["quarantined"] + again["conflicts"])
