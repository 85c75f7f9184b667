"""Published figures that extraction writes, reconciled: a figure's own `period`, the `method` scope (the ledger's
交易方式 column, read from the records since record_total has no method), combined categories, other trade kinds
(罚没财物, 排污权 … subcategories of 其他交易), centre levels (市本级, 县级, a user's 城区), and the extras'
`efficiency` (增效节资) and `efficiency_rate`. Each records command reconcile prints lists exactly the figure's
records."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from support import GOOD, run, workbook


def _ledger(ledger_url: str, haidong: Path) -> None:
    run(ledger_url, "init")
    assert run(ledger_url, "import", *map(str, sorted(haidong.glob("*.xlsx"))), "--no-check").exit_code == 0


def _truth(ledger_url: str, where: str) -> tuple[int, int]:
    engine = create_engine(ledger_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        count, fen = conn.execute(text(f"SELECT COUNT(*), COALESCE(SUM(deal_fen), 0) FROM current_record "
                                       f"WHERE {where}")).one()
    engine.dispose()
    return int(count), int(fen)


def _reconcile(ledger_url: str, tmp_path: Path, figures: str, *args: str) -> dict:
    path = tmp_path / "published.yaml"
    path.write_text(f"title: t\nperiod: 2022Q3\nunit: 万元\nfigures:\n{figures}", encoding="utf-8")
    result = run(ledger_url, "reconcile", str(path), "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_method_and_own_period(ledger_url: str, tmp_path: Path, haidong: Path) -> None:
    _ledger(ledger_url, haidong)
    count, fen = _truth(ledger_url, "method = '公开招标' AND period = '2022-08'")
    deals, deal_fen = _truth(ledger_url, "method = '公开招标' AND period = '2022-08' AND status = 'deal'")
    amount = f"{deal_fen / 1_000_000:.2f}"
    out = _reconcile(ledger_url, tmp_path, f"  - {{period: 2022-08, method: 公开招标, count: {count}, "
                     f"amount: {amount}}}\n  - {{period: 2022-08, method: 公开招标, count: {count + 1}}}\n")
    assert [r["status"] for r in out["results"]] == ["ok", "ok", "discrepancy"], (out, deals, fen)
    assert out["results"][0]["scope"]["method"] == "公开招标"
    assert out["results"][0]["scope"]["period"] == "2022-08"


def test_combined_categories_and_efficiency(ledger_url: str, tmp_path: Path, haidong: Path) -> None:
    _ledger(ledger_url, haidong)
    count, _ = _truth(ledger_url, "category IN ('land', 'mining')")
    out = _reconcile(ledger_url, tmp_path, f"  - {{category: [土地使用权, 矿业权], count: {count}}}\n")
    assert out["results"][0]["status"] == "ok"
    path = tmp_path / "efficiency.yaml"
    path.write_text("title: t\nperiod: 2022Q3\nunit: 万元\nfigures:\n  - {efficiency: 1}\n", encoding="utf-8")
    refused = run(ledger_url, "reconcile", str(path))
    assert refused.exit_code == 2 and "--rules extras" in refused.stderr
    result = run(ledger_url, "reconcile", str(path), "--rules", "extras", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    (efficiency,) = json.loads(result.stdout)["results"]
    assert efficiency["measure"] == "efficiency" and efficiency["ledger"] is not None
    rate = tmp_path / "rate.yaml"
    rate.write_text("title: t\nperiod: 2022Q3\nunit: 万元\nfigures:\n  - {efficiency_rate: 1.00%}\n",
                    encoding="utf-8")
    result = run(ledger_url, "reconcile", str(rate), "--rules", "extras", "--format", "json")
    assert json.loads(result.stdout)["results"][0]["ledger"] is not None, result.output


OTHER_TRADES = [  # records of other kinds (其他交易), written as a centre's sheets write them
    ["其他交易", "罚没物品", "FM-001", None, "罚没车辆", "市本级", "成交", None, 30000, "2022-07-08"],
    ["罚没财物", None, "FM-002", None, "罚没手机", "乐都区", "成交", None, 1000, "2022-07-09"],
    ["排污权交易", None, "PW-001", None, "排污指标", "民和县", "成交", None, 88000, "2022-07-09"],
    ["国有产权", None, "CQ-001", None, "房产", "民和县", "成交", None, 500000, "2022-07-10"],
    ["其他交易", None, "QT-001", None, "广告经营权", "民和县", "成交", None, 7000, "2022-07-10"],
]


def _records(ledger_url: str, command: str) -> list[dict]:
    """Run the `ggzy records …` command that reconcile printed for a figure."""
    words = shlex.split(command)
    assert words[:2] == ["ggzy", "records"], command
    result = run(ledger_url, "records", *words[2:], "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["records"]


def test_other_trade_kinds_are_subcategories_a_figure_can_name(ledger_url: str, tmp_path: Path) -> None:
    """罚没财物, 排污权 … are subcategories of 其他交易: the import gives records those words, and a figure of
    '国有产权和罚没财物' is all of 国有产权 and the 罚没财物 part of 其他交易 (not the other 其他交易)."""
    run(ledger_url, "init")
    assert run(ledger_url, "import", str(workbook(tmp_path / "o.xlsx", [*GOOD, *OTHER_TRADES]))).exit_code == 0
    fines = _truth(ledger_url, "category = 'other' AND subcategory = '罚没财物'")
    property_ = _truth(ledger_url, "category = 'property'")
    assert fines == (2, 3100000) and property_ == (1, 50000000)
    out = _reconcile(ledger_url, tmp_path, "  - {category: [国有产权, 罚没财物], count: 3, amount: 53.1}\n"
                     "  - {category: 其他交易, subcategory: 排污权, count: 1, amount: 8.8}\n"
                     "  - {category: 罚没处罚, count: 2}\n  - {category: 其他交易, count: 4}\n"
                     "  - {category: [国有产权, 罚没财物], count: 4}\n")
    assert [r["status"] for r in out["results"]] == ["ok"] * 6 + ["discrepancy"], out
    listed = _records(ledger_url, out["results"][0]["records_command"])
    assert sorted(r["project_code"] for r in listed) == ["CQ-001", "FM-001", "FM-002"]


def test_centre_levels_are_groups_of_regions(ledger_url: str, tmp_path: Path, haidong: Path) -> None:
    """`level: 市本级` is the city centre's own records, `level: 县级` every other region's; the printed records
    command lists exactly them; a level the vocabulary does not know is a file:line error."""
    _ledger(ledger_url, haidong)
    city = _truth(ledger_url, "region = '市本级'")
    counties = _truth(ledger_url, "region <> '市本级'")
    out = _reconcile(ledger_url, tmp_path, f"  - {{level: 市本级, count: {city[0]}}}\n"
                     f"  - {{level: 县级, count: {counties[0]}, amount: {counties[1] / 1_000_000:.2f}}}\n"
                     f"  - {{level: 县级, count: {counties[0] - 1}}}\n")
    assert [r["status"] for r in out["results"]] == ["ok", "ok", "ok", "discrepancy"], out
    assert out["results"][1]["scope"]["level"] == "县级"
    assert len(_records(ledger_url, out["results"][1]["records_command"])) == counties[0]
    assert len(_records(ledger_url, out["results"][0]["records_command"])) == city[0]
    path = tmp_path / "bad.yaml"
    path.write_text("period: 2022Q3\nfigures:\n  - {level: 城区, count: 1}\n", encoding="utf-8")
    refused = run(ledger_url, "reconcile", str(path))
    assert refused.exit_code == 2 and f"{path}:3: level '城区' is not a level" in refused.stderr
    assert "levels: in" in refused.stderr


def test_a_user_level_from_regions_yaml(ledger_url: str, tmp_path: Path, haidong: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    _ledger(ledger_url, haidong)
    vocab = tmp_path / "vocab"
    vocab.mkdir()
    (vocab / "regions.yaml").write_text("levels:\n  城区: {regions: [乐都区, 平安区]}\n", encoding="utf-8")
    monkeypatch.setenv("GGZY_VOCAB_DIR", str(vocab))
    urban = _truth(ledger_url, "region IN ('乐都区', '平安区')")
    out = _reconcile(ledger_url, tmp_path, f"  - {{level: 城区, count: {urban[0]}}}\n")
    assert [r["status"] for r in out["results"]] == ["ok"], out


def test_the_records_command_of_a_method_figure_lists_exactly_its_records(ledger_url: str, tmp_path: Path,
                                                                          haidong: Path) -> None:
    _ledger(ledger_url, haidong)
    count, _ = _truth(ledger_url, "method = '公开招标' AND period = '2022-08'")
    wider, _ = _truth(ledger_url, "period = '2022-08'")
    assert 0 < count < wider
    out = _reconcile(ledger_url, tmp_path, f"  - {{period: 2022-08, method: 公开招标, count: {count}}}\n")
    command = out["results"][0]["records_command"]
    assert "--method 公开招标" in command
    listed = _records(ledger_url, command)
    assert len(listed) == count and {r["method"] for r in listed} == {"公开招标"}
