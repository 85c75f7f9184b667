"""`ggzy report` with 100,000 exception rows: a ledger where every purchase came in over budget, so the
failed expectation's sheet lists 98,000 records (2% are failed tenders) with source file, sheet and row.

    python benchmarks/bench_report.py [--rows 100000] [--repeat 3]

Wall time of `ggzy report --out X.xlsx` (and with --html) in a fresh process, the workbook's size, and the
time openpyxl needs to read it back (read-only mode) as a check that it is a sound workbook.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
from bench_rates import GGZY, HERE
from make_ledger import fill, records


def over_budget_ledger(rows: int) -> str:
    path = HERE / "data" / f"over-budget-{rows}.db"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        frame = records(rows).with_columns(
            category=pl.lit("procurement"), subcategory=pl.lit("分散采购"), reserve_fen=pl.lit(None, pl.Int64),
            budget_fen=pl.col("budget_fen").fill_null(5_000_000)).with_columns(
            deal_fen=pl.when(pl.col("status") == "deal").then(pl.col("budget_fen") + 100))
        fill(rows, f"sqlite:///{path}", frame)
    return f"sqlite:///{path}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    url = over_budget_ledger(args.rows)
    out = HERE / "data" / "report-bench.xlsx"
    html = HERE / "data" / "report-bench.html"
    for label, extra in (("xlsx", []), ("xlsx + html", ["--html", str(html)])):
        walls = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            done = subprocess.run([GGZY, "--db", url, "report", "--out", str(out), *extra], capture_output=True,
                                  text=True)
            walls.append(time.perf_counter() - start)
            if done.returncode != 1:  # the report holds exceptions: exit 1
                raise SystemExit(done.stderr or done.stdout)
        print(f"ggzy report ({label}), {args.rows:,} records: {statistics.median(walls):.2f} s wall "
              f"(median of {args.repeat}); {done.stdout.strip()}")
    import openpyxl

    start = time.perf_counter()
    wb = openpyxl.load_workbook(out, read_only=True)
    sheet = next(ws for ws in wb.worksheets if ws.title.startswith("检查异常"))
    listed = sum(1 for _ in sheet.iter_rows(min_row=4, values_only=True))
    print(f"workbook {out.stat().st_size / 2**20:.1f} MiB, {listed:,} exception rows on sheet {sheet.title}; "
          f"read back in {time.perf_counter() - start:.2f} s; html {html.stat().st_size / 2**10:.0f} KiB")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
