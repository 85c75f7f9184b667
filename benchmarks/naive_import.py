"""The way a user would script an import today, as the baseline ggzy must beat (issue 8: ≥ 10×).

    python benchmarks/naive_import.py benchmarks/data/records-200000.xlsx

openpyxl reads every cell (read-only mode, the fastest it has), pandas holds the table, and each row
becomes one SQLModel object added to a session; one commit at the end. Amounts go through Decimal so the
baseline is as exact as ggzy (it would be faster, and wrong, with floats).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
from ggzy.ledger.models import ImportBatch, TradeRecord
from ggzy.ledger.schema import init_schema
from ggzy.ledger.store import make_engine
from sqlmodel import Session

CATEGORIES = {"工程建设": "construction", "政府采购": "procurement", "土地使用权": "land", "国有产权": "property"}


def main(path: Path) -> None:
    start = time.perf_counter()
    sheet = openpyxl.load_workbook(path, read_only=True).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))  # row 3 is the header in the benchmark layout
    width = len(rows[0])
    body = [tuple(r[:width]) + (None,) * (width - len(r)) for r in rows[1:]]
    frame = pd.DataFrame(body, columns=rows[0]).dropna(subset=["项目编号"])
    frame = frame[~frame["序号"].astype(str).str.startswith("合计")]
    engine = make_engine(f"sqlite:///{tempfile.mkdtemp()}/naive.db")
    init_schema(engine)
    with Session(engine) as session:
        batch = ImportBatch(file_name=path.name, sha256="naive", operator="naive", imported_at=dt.datetime.now(dt.UTC))
        session.add(batch)
        session.flush()
        for row in frame.itertuples(index=False):
            deal = Decimal(str(row[9]).replace(",", "")) * 1_000_000
            budget = Decimal(str(row[8]).replace(",", "")) * 1_000_000
            trade_date = row[11].date() if isinstance(row[11], dt.datetime) else row[11]
            session.add(TradeRecord(batch_id=batch.id, category=CATEGORIES[row[1]], subcategory=row[2],
                                    project_code=row[3], section_code=str(row[4]), name=row[5], region=row[6],
                                    status="deal", budget_fen=int(budget), deal_fen=int(deal), winner=row[10],
                                    trade_date=trade_date, period=trade_date.strftime("%Y-%m"),
                                    source_file=path.name, source_sheet="明细", source_row=0, content_sha256=""))
        session.commit()
    print(f"{len(frame)} rows in {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
