"""Published figures that extraction writes, reconciled: a figure's own `period`, the `method` scope (the ledger's
交易方式 column, read from the records since record_total has no method), combined categories, and the extras'
`efficiency` (增效节资) and `efficiency_rate`."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine, text
from support import run


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
