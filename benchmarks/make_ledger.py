"""Fill a ledger with N generated records, fast (the import's own bulk path, without reading a workbook), as one
batch chained as posting chains it (so `ggzy verify` passes).

    python benchmarks/make_ledger.py 1000000 sqlite:///benchmarks/data/ledger-1000000.db

Deterministic for a given N: seven categories/subcategories, seven regions, twelve months, a tenth of the
sales without a reserve (so "missing" counts are exercised), 2% failed tenders.
"""

from __future__ import annotations

import datetime as dt
import sys

import polars as pl
from ggzy.ledger import chain
from ggzy.ledger.bulk import bulk_insert
from ggzy.ledger.chain import with_content_sha256
from ggzy.ledger.models import ImportBatch, RecordTotal, TradeRecord
from ggzy.ledger.record_totals import totals_frame
from ggzy.ledger.schema import init_schema
from ggzy.ledger.store import make_engine

KINDS = [("construction", "房屋建筑"), ("construction", "市政"), ("construction", "水利"),
         ("procurement", "分散采购"), ("procurement", "集中采购"), ("land", None), ("property", None)]
REGIONS = ["市本级", "乐都区", "平安区", "民和县", "互助县", "化隆县", "循化县"]


def records(count: int) -> pl.DataFrame:
    index = pl.int_range(0, count, eager=True).alias("i")
    frame = pl.DataFrame(index)
    kind = pl.col("i") % len(KINDS)
    sale = kind >= 5
    budget = 1_000_000 + (pl.col("i") * 7919) % 500_000_000
    deal = budget - (pl.col("i") * 104729) % (budget // 10)
    failed = pl.col("i") % 50 == 0
    return frame.select(
        category=kind.replace_strict(dict(enumerate(k for k, _ in KINDS)), return_dtype=pl.String),
        subcategory=kind.replace_strict(dict(enumerate(s for _, s in KINDS)), return_dtype=pl.String),
        project_code=pl.format("BM-{}", pl.col("i").cast(pl.String).str.pad_start(8, "0")),
        section_code=pl.lit("01"), name=pl.format("项目{}", pl.col("i")),
        region=(pl.col("i") % 7).replace_strict(dict(enumerate(REGIONS)), return_dtype=pl.String),
        status=pl.when(failed).then(pl.lit("failed")).otherwise(pl.lit("deal")), method=pl.lit("公开招标"),
        budget_fen=pl.when(~sale).then(budget), control_price_fen=pl.lit(None, pl.Int64),
        reserve_fen=pl.when(sale & (pl.col("i") % 10 != 0)).then(deal - (pl.col("i") % 1000)),
        deal_fen=pl.when(~failed).then(deal), winner=pl.lit("某公司"),
        trade_date=pl.date(2022, 1 + pl.col("i") % 12, 1 + pl.col("i") % 28),
        bidders=(3 + pl.col("i") % 5).cast(pl.Int64),
    ).with_columns(period=pl.col("trade_date").dt.strftime("%Y-%m"), source_sheet=pl.lit("明细"),
                   source_row=(index + 2).cast(pl.Int64))


def fill(count: int, url: str, frame: pl.DataFrame | None = None) -> None:
    """Post ``count`` generated records (or ``frame``, shaped like them) as one batch."""
    engine = make_engine(url)
    init_schema(engine)
    frame = with_content_sha256(records(count) if frame is None else frame)
    with engine.begin() as conn:
        batch = conn.execute(ImportBatch.__table__.insert().values(
            file_name=f"generated-{count}.xlsx", sha256=f"generated-{count}", profile="bench", operator="bench",
            title="某省2022年度公共资源交易明细(生成数据)",
            imported_at=dt.datetime.now(dt.UTC), rows=count, posted=count)).inserted_primary_key[0]
        frame = frame.with_columns(batch_id=pl.lit(batch, pl.Int64), source_file=pl.lit(f"generated-{count}.xlsx"))
        bulk_insert(conn, TradeRecord.__table__, frame)
        bulk_insert(conn, RecordTotal.__table__, totals_frame(frame))  # as posting does
        chain.append(conn, "batch", batch, frame)  # …and the batch is a link of the hash chain


if __name__ == "__main__":
    fill(int(sys.argv[1]), sys.argv[2])
