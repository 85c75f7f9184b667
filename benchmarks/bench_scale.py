"""`ggzy rates` and `ggzy reconcile` from 1,000 to 10,000,000 records (a province's decade), on SQLite and
on PostgreSQL, as ratios to the 1,000-record ledger.

    python benchmarks/bench_scale.py [--sizes 1000,1000000,10000000] [--repeat 3] [--databases sqlite,postgresql]

Ledgers are generated once (make_ledger.py: the import's bulk path, records and their totals in one
transaction); SQLite files are kept in benchmarks/data/, PostgreSQL ledgers live in a throw-away server
(tests/pgserver.py, fsync off) started for the run. Each timing is a fresh `ggzy` process (start-up
included), median of --repeat runs. The published file has 16 figures (counts, amounts, rates per
category and for the year): what a bulletin holds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_rates import BY, GGZY, ledger  # noqa: E402

PUBLISHED = """title: 生成数据 2022 年交易情况 (bench)
period: 2022
unit: 亿元
figures:
  - {count: 100, amount: 1.00}
  - {category: 工程建设, count: 100, amount: 1.00, savings_rate: 5.00%}
  - {category: 工程建设, subcategory: 房屋建筑, count: 10, amount: 1.00}
  - {category: 工程建设, subcategory: 水利, count: 10, amount: 1.00}
  - {category: 政府采购, count: 100, amount: 1.00, budget: 1.00, savings: 0.10, savings_rate: 5.00%}
  - {category: 政府采购, subcategory: 集中采购, count: 10, amount: 1.00}
  - {category: 土地使用权, count: 10, amount: 1.00, premium_rate: 1.00%}
  - {category: 国有产权, count: 10, amount: 1.00, premium_rate: 1.00%}
  - {category: [土地使用权, 国有产权], reserve: 1.00, amount: 1.00, premium: 0.10}
  - {region: 乐都区, count: 10, amount: 1.00}
  - {region: 民和县, count: 10, amount: 1.00}
  - {exclude: {subcategory: 集中采购}, count: 90, amount: 0.90}
"""


def timed(command: list[str], repeat: int) -> float:
    walls = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):  # reconcile exits 1 on discrepancies: the figures are made up
            raise SystemExit(f"{' '.join(command)}: {done.stderr}")
    return round(statistics.median(walls), 3)


def postgres_ledger(admin_url: str, size: int) -> str:
    from sqlalchemy import create_engine, text

    name = f"ggzy_bench_{size}"
    admin = create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    if not exists:
        start = time.perf_counter()
        subprocess.run([sys.executable, str(HERE / "make_ledger.py"), str(size), url], check=True)
        print(f"generated {size:,} records into PostgreSQL in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,1000000,10000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    published = HERE / "data" / "published-bench.yaml"
    published.parent.mkdir(parents=True, exist_ok=True)
    published.write_text(PUBLISHED, encoding="utf-8")
    server = None
    results = []
    try:
        for database in args.databases.split(","):
            if database == "postgresql" and server is None:
                sys.path.insert(0, str(HERE.parent / "tests"))
                from pg_harness import PostgresServer

                server = PostgresServer()
                admin_url = server.start()
            for size in sizes:
                url = ledger(size) if database == "sqlite" else postgres_ledger(admin_url, size)
                for command, extra in (("rates", ["rates", "--by", BY, "--format", "json"]),
                                       ("reconcile", ["reconcile", str(published), "--format", "json"])):
                    wall = timed([GGZY, "--db", url, *extra], args.repeat)
                    results.append({"database": database, "records": size, "command": command, "median_s": wall})
                    print(json.dumps(results[-1]), file=sys.stderr)
    finally:
        if server is not None:
            server.stop()
    base = {(r["database"], r["command"]): r["median_s"] for r in results if r["records"] == sizes[0]}
    for result in results:
        result["ratio_to_smallest"] = round(result["median_s"] / base[(result["database"], result["command"])], 2)
    print(json.dumps({"date": time.strftime("%Y-%m-%d"), "results": results}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
