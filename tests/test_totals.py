"""Measures from the record totals equal measures from the records, for any ledger and any grouping."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from ggzy.imports.table import RECORD_COLUMNS
from ggzy.ledger.models import RecordTotal
from ggzy.ledger.posting import post_file
from ggzy.ledger.schema import init_schema
from ggzy.ledger.staging import SheetExtract
from ggzy.ledger.store import make_engine
from ggzy.rules.engine import aggregate, from_totals, load_rules
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, inspect, select
from support import EXAMPLES, run

GROUPINGS = [[], ["category"], ["category", "subcategory", "region"], ["month"], ["region", "month"]]
EXTRA_RULES = """include: {default}
measures:
  doubled_savings: {{sum: 2 * (budget - deal) + 3, label: x}}
  bidders: {{sum: bidders}}
  bid_awards: {{sum: 1, require: [bidders]}}
  average_bidders: {{ratio: bidders / bid_awards, format: number}}
  sale_gain: {{sum: deal - reserve, statuses: [deal, failed], categories: [土地使用权, 国有产权]}}
"""

record = st.fixed_dictionaries({
    "category": st.sampled_from(["construction", "procurement", "land", "property"]),
    "subcategory": st.sampled_from([None, "房屋建筑", "分散采购"]),
    "region": st.sampled_from([None, "甲县", "乙县"]),
    "status": st.sampled_from(["deal", "deal", "failed", "terminated"]),
    "budget_fen": st.one_of(st.none(), st.integers(0, 10**12)),
    "reserve_fen": st.one_of(st.none(), st.integers(0, 10**12)),
    "deal_fen": st.one_of(st.none(), st.integers(0, 10**12)),
    "bidders": st.one_of(st.none(), st.integers(0, 30)),
    "month": st.integers(1, 3),
})


def _post(url: str, rows: list[dict], name: str) -> None:
    frame = pl.DataFrame([{
        "category": r["category"], "subcategory": r["subcategory"], "project_code": f"{name}-{i}",
        "section_code": "", "name": None, "region": r["region"], "status": r["status"], "method": None,
        "budget_fen": r["budget_fen"], "control_price_fen": None, "reserve_fen": r["reserve_fen"],
        "deal_fen": r["deal_fen"], "winner": None, "trade_date": dt.date(2022, r["month"], 1), "bidders": r["bidders"],
        "period": f"2022-0{r['month']}", "source_sheet": "s", "source_row": i + 2} for i, r in enumerate(rows)],
        schema={"category": pl.String, "subcategory": pl.String, "project_code": pl.String, "section_code": pl.String,
                "name": pl.String, "region": pl.String, "status": pl.String, "method": pl.String,
                "budget_fen": pl.Int64, "control_price_fen": pl.Int64, "reserve_fen": pl.Int64, "deal_fen": pl.Int64,
                "winner": pl.String, "trade_date": pl.Date, "bidders": pl.Int64, "period": pl.String,
                "source_sheet": pl.String, "source_row": pl.Int64}).select(RECORD_COLUMNS)
    post_file(make_engine(url), Path(f"{name}.xlsx"), name, [SheetExtract("s", frame)], profile="test", operator="t")


def _assert_same(url: str, rules_path: Path | None = None) -> None:
    engine = make_engine(url)
    rules = load_rules(rules_path)
    names = list(rules.measures)
    assert all(from_totals(rules.measure(n)) for n in names if rules.measure(n).sum)
    for by in GROUPINGS:
        assert aggregate(engine, rules, names, None, by, source="totals") == \
            aggregate(engine, rules, names, None, by, source="records"), by


def _fresh(url: str) -> None:
    """Empty every table of the PostgreSQL ledger at ``url`` (a new database per example would take longer)."""
    engine = make_engine(url)
    with engine.begin() as conn:
        tables = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
        conn.exec_driver_sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    engine.dispose()


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.lists(record, max_size=25), second=st.lists(record, max_size=25))
def test_totals_equal_records_for_any_ledger(database: str, request: pytest.FixtureRequest,
                                            tmp_path_factory: pytest.TempPathFactory, first: list[dict],
                                            second: list[dict]) -> None:
    folder = tmp_path_factory.mktemp("totals")
    if database == "sqlite":
        url = f"sqlite:///{folder / 'ledger.db'}"
        init_schema(make_engine(url))
    else:  # one database for the test, emptied for each example
        url = request.getfixturevalue("pg_url")
        init_schema(make_engine(url))
        _fresh(url)
    _post(url, first, "a")
    _post(url, second, "b")  # two batches: totals are per batch and add up
    rules = folder / "rules.yaml"
    rules.write_text(EXTRA_RULES.format(default=load_rules().source), encoding="utf-8")
    _assert_same(url, rules)


def test_totals_equal_records_on_the_demo_ledger(ledger_url: str, haidong: Path) -> None:
    run(ledger_url, "init")
    assert run(ledger_url, "import", *map(str, sorted(haidong.glob("*.xlsx"))), "--no-check").exit_code == 0
    _assert_same(ledger_url)
    extras = Path(load_rules().source).with_name("extras.yaml")
    _assert_same(ledger_url, extras)


def test_init_rebuilds_totals_for_an_older_ledger(ledger_url: str, haidong: Path) -> None:
    run(ledger_url, "init")
    run(ledger_url, "import", *map(str, sorted(haidong.glob("*.xlsx"))), "--no-check")
    before = run(ledger_url, "reconcile", str(EXAMPLES / "haidong-2022Q3" / "published.yaml"), "--format", "json")
    engine = make_engine(ledger_url)
    with engine.begin() as conn:  # a ledger from before the totals existed
        conn.execute(delete(RecordTotal.__table__))
    assert run(ledger_url, "init").exit_code == 0
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(RecordTotal.__table__)).scalar() > 0
    after = run(ledger_url, "reconcile", str(EXAMPLES / "haidong-2022Q3" / "published.yaml"), "--format", "json")
    assert before.exit_code == after.exit_code == 0 and before.stdout == after.stdout


def test_a_measure_with_abs_reads_the_records(ledger_url: str, haidong: Path, tmp_path: Path) -> None:
    run(ledger_url, "init")
    run(ledger_url, "import", *map(str, sorted(haidong.glob("*.xlsx"))), "--no-check")
    rules_path = tmp_path / "abs.yaml"
    rules_path.write_text(f"include: {load_rules().source}\nmeasures:\n  gap: {{sum: abs(budget - deal)}}\n",
                          encoding="utf-8")
    rules = load_rules(rules_path)
    assert not from_totals(rules.measure("gap"))
    engine = make_engine(ledger_url)
    (row,) = aggregate(engine, rules, ["gap", "savings"], None, [])
    assert row.sums["gap"] >= row.sums["savings"] > 0


def test_a_key_posted_concurrently_surfaces_as_one_integrity_error(ledger_url: str) -> None:
    """COPY (PostgreSQL) goes past SQLAlchemy; its unique-key error must reach posting's retry the same way."""
    from ggzy.ledger.bulk import bulk_insert
    from ggzy.ledger.models import TradeRecord
    from sqlalchemy.exc import IntegrityError

    init_schema(make_engine(ledger_url))
    _post(ledger_url, [{"category": "land", "subcategory": None, "region": None, "status": "deal", "budget_fen": None,
                        "reserve_fen": 1, "deal_fen": 2, "bidders": None, "month": 1}], "k")
    engine = make_engine(ledger_url)
    with engine.connect() as conn:
        row = conn.execute(select(TradeRecord.__table__)).mappings().one()
    again = pl.DataFrame([{k: v for k, v in row.items() if k != "id"}])
    with pytest.raises(IntegrityError), engine.begin() as conn:
        bulk_insert(conn, TradeRecord.__table__, again)
