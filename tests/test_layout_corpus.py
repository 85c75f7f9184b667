"""The corpus of layouts (tests/layouts/): forms real centres publish, each imported with NO profile.

For each layout: what its ``expect`` states (exit code, records posted and failed, categories, the sum of
the deals in fen, derived-column differences, regions, subcategories — written by hand beside the data)
must hold, nothing may be lost (rows = posted + unchanged + quarantined + conflicts), and the whole outcome
must equal tests/layouts/<layout>/expected.json (GGZY_REGOLD=1 rewrites it; review the diff). A layout that
cannot be read alone must fail naming the headers and the profile lines to add — and importing it with the
profile `ggzy profile suggest` writes must then work, when a profile can help.

A hypothesis test perturbs the headers the way people type them and asserts the same records come out.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import RECORD_KEYS, load_script, run

CORPUS = Path(__file__).parent / "layouts"
inputs = load_script("layout_inputs", CORPUS / "make_inputs.py")
LAYOUTS = {layout.name: layout for layout in inputs.LAYOUTS}


def test_the_corpus_is_large_and_sourced() -> None:
    assert len(LAYOUTS) >= 42
    for layout in LAYOUTS.values():
        assert re.match(r"https?://|tests/fixtures/", layout.source), layout.name
    provinces = {name.split("_")[0] for name in LAYOUTS}
    assert len(provinces) >= 20
    # two money columns for one amount (a tie, and a column compared with the stronger), a 工程 type column
    assert {"guangxi_award_or_deal_columns", "xinjiang_highway_award_and_contract", "anhui_anqing_type_column"} <= \
        set(LAYOUTS)


def test_the_committed_inputs_are_what_make_inputs_writes(tmp_path: Path) -> None:
    for layout in LAYOUTS.values():
        written = inputs.write(layout, tmp_path / layout.name)
        assert written.read_bytes() == (CORPUS / layout.name / layout.file).read_bytes(), layout.name


def _outcome(url: str, path: Path) -> tuple[int, dict]:
    result = run(url, "import", str(path), "--format", "json")
    if result.exit_code == 2:
        # the golden file must not depend on where the checkout is
        return 2, {"exit_code": 2, "error": result.stderr.strip().replace(f"{path.parent.parent}/", "tests/layouts/")}
    data = json.loads(result.stdout)
    (item,) = data["files"]
    records = json.loads(run(url, "records", "--format", "json").stdout)["records"]
    held = json.loads(run(url, "quarantine", "--format", "json").stdout)["quarantine"]
    return result.exit_code, {
        "exit_code": result.exit_code,
        "counts": {k: item[k] for k in ("rows", "posted", "unchanged", "quarantined", "conflicts")},
        "records": sorted(({k: r[k] for k in RECORD_KEYS} for r in records),
                          key=lambda r: (r["source_sheet"], r["source_row"])),
        "held": [{"sheet": h["source_sheet"], "row": h["source_row"], "reasons": h["reasons"]} for h in held],
        "totals": item["totals"],
        "unused_headers": data["unused_headers"],
    }


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_layout_imports_with_no_profile(name: str, ledger_url: str) -> None:
    layout = LAYOUTS[name]
    expect = layout.expect
    url = ledger_url
    code, actual = _outcome(url, CORPUS / name / layout.file)
    assert code == expect["exit"], actual
    if code == 2:
        for words in expect["error"]:
            assert words in actual["error"], actual["error"]
        assert json.loads(run(url, "records", "--format", "json").stdout)["records"] == []
    else:
        counts, records = actual["counts"], actual["records"]
        assert counts["rows"] == counts["posted"] + counts["unchanged"] + counts["quarantined"] + counts["conflicts"]
        assert counts["rows"] == len(layout.rows)  # every record row of the form, and nothing else, was read
        assert counts["posted"] == expect["posted"]
        assert counts["quarantined"] == expect.get("quarantined", 0)
        assert sum(r["status"] == "failed" for r in records) == expect["failed"]
        assert Counter(r["category"] for r in records) == Counter(expect["categories"])
        assert sum(r["deal_fen"] or 0 for r in records) == expect["deal_fen"]
        assert all(r["name"] and r["project_code"] and r["trade_date"] for r in records)
        differences = [t for t in actual["totals"] if t["status"] != "ok" and "=" in t["label"]]
        assert len(differences) == expect.get("differences", 0), differences
        if "regions" in expect:
            assert {r["region"] for r in records} == expect["regions"]
        if "subcategories" in expect:
            assert {r["subcategory"] for r in records} == expect["subcategories"]
        if "totals_ok" in expect:
            assert [t["status"] for t in actual["totals"]] == ["ok"] * expect["totals_ok"]
    golden = CORPUS / name / "expected.json"
    actual = {"source": layout.source, **actual}
    if os.environ.get("GGZY_REGOLD") and url.startswith("sqlite"):  # PostgreSQL must then agree
        golden.write_text(json.dumps(actual, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert actual == json.loads(golden.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(n for n, lay in LAYOUTS.items() if lay.expect["exit"] == 2
                                        and "suggest" in lay.expect.get("then", "suggest")))
def test_a_layout_that_cannot_be_read_alone_reads_with_the_suggested_profile(name: str, ledger_url: str,
                                                                           tmp_path: Path) -> None:
    layout = LAYOUTS[name]
    url = ledger_url
    source = CORPUS / name / layout.file
    profile = tmp_path / "suggested.yaml"
    assert run(url, "profile", "suggest", str(source), "-o", str(profile)).exit_code == 0
    text = profile.read_text(encoding="utf-8")
    result = run(url, "import", str(source), "--profile", str(profile), "--format", "json")
    guesses = [line for line in text.splitlines() if not line.lstrip().startswith("#") and "# GUESS" in line]
    if not guesses:  # nothing a profile could map (a summary sheet): it still fails, with the reason
        assert result.exit_code == 2
        return
    assert result.exit_code in (0, 1), result.stderr
    (item,) = json.loads(result.stdout)["files"]
    assert item["rows"] == len(layout.rows) == item["posted"] + item["quarantined"] + item["conflicts"]


# --- headers typed by people -----------------------------------------------------------------------------
PERTURBABLE = ["shandong_procurement_packages", "shaanxi_hanzhong_land_result", "shanxi_shuozhou_mining_bare_code",
               "yunnan_baoshan_monthly_mixed", "shandong_dongping_plan_vs_actual", "hangzhou_equity_transfer",
               "nanjing_section_awards", "zhejiang_mining_right_names", "gansu_zhangye_mining_two_level",
               "land_two_level_price_group", "yunnan_honghe_construction_awards", "wuxi_land_unit_row",
               "henan_zhengzhou_land_planning_group", "anhui_anqing_type_column", "neimenggu_mining_rights_yi_yuan",
               "beijing_property_premium_rate"]
_UNIT = re.compile(r"[（(]\s*(万元|元)\s*[)）]")


def _perturb(text: str, draw: st.DrawFn) -> tuple[str, str | None]:
    """One header as a person might type it: (new text, unit taken out of it, if any)."""
    unit = None
    if (match := _UNIT.search(text)) and draw(st.booleans()):
        unit = match[1]
        text = _UNIT.sub("", text)
    if draw(st.booleans()):
        text = text.translate(str.maketrans("()（）", "（）()"))  # the other bracket width
    if draw(st.booleans()) and re.search(r"金额|价", text) and not unit and not _UNIT.search(text):
        text += "（含税）"  # a qualifier that narrows nothing
    if draw(st.booleans()):
        at = draw(st.integers(0, max(0, len(text) - 1)))
        text = text[:at] + draw(st.sampled_from([" ", "\n", "\u3000", "  "])) + text[at:]
    if draw(st.booleans()):
        text = f" {text}\n"
    return text, unit


def _shift(cells: str) -> str:
    """A merged range one row lower (a unit line was added above the header)."""
    return re.sub(r"(\d+)", lambda m: str(int(m[1]) + 1), cells)


def _records(path: Path) -> list[dict]:
    from ggzy.imports.base import Profile
    from ggzy.imports.table import TableImporter

    rows = []
    for sheet in TableImporter().extract(path, Profile()):
        assert not sheet.held, [h.reasons for h in sheet.held]
        rows += sheet.records.drop("source_row", "source_sheet").to_dicts()
    return rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), name=st.sampled_from(PERTURBABLE))
def test_headers_typed_differently_give_the_same_records(tmp_path: Path, data: st.DataObject, name: str) -> None:
    layout = LAYOUTS[name]
    expected = _records(CORPUS / name / layout.file)
    headers, units = [], set()
    for level, row in enumerate(layout.header):
        cells = []
        for cell in row:
            if cell is None or (level > 0 and _UNIT.fullmatch(str(cell))):  # a unit row stays a unit row
                cells.append(cell)
                continue
            text, unit = _perturb(str(cell), data.draw)
            cells.append(text)
            units.add(unit)
        headers.append(cells)
    units.discard(None)
    preamble = list(layout.preamble)
    if units:  # a unit taken out of the headers goes to a unit line above them, as centres print it
        assert len(units) == 1
        preamble = [*preamble, [f"金额单位：{units.pop()}"]]
        merges = [_shift(m) for m in layout.merges]
    else:
        merges = layout.merges
    changed = inputs.Layout(layout.name, layout.source, layout.file, layout.sheet, headers,
                            layout.rows, preamble, layout.tail, merges, layout.encoding, layout.expect)
    folder = tmp_path / f"case{len(list(tmp_path.iterdir()))}"
    assert _records(inputs.write(changed, folder)) == expected
