"""`ggzy verify` on ledgers of 1,000,000 and 5,000,000 records: wall time and peak memory, which must stay flat
in the number of records (verify streams the records a page at a time into one digest per batch).

    python benchmarks/bench_verify.py [--sizes 1000000,5000000] [--databases sqlite,postgresql] [--repeat 1]
    python benchmarks/bench_verify.py --sizes 1000000 --pythonpath /path/to/older/checkout-parent   # a baseline

Ledgers are generated once (make_ledger.py: one batch, chained as posting chains it; SQLite files kept in
benchmarks/data/, PostgreSQL ledgers in a throw-away server started for the run). Each run is a fresh
`ggzy --db URL verify --format json` process (start-up included), reaped with wait4 for its peak resident set.
``--pythonpath DIR`` runs the `ggzy` package found in DIR instead (e.g. an export of an older commit), on the
same ledgers, for a before/after figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from bench_import import measure  # noqa: E402
from bench_rates import ledger  # noqa: E402
from bench_scale import postgres_ledger  # noqa: E402


def verify_command(url: str) -> list[str]:
    return [sys.executable, "-m", "ggzy", "--db", url, "verify", "--format", "json"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000,5000000")
    parser.add_argument("--databases", default="sqlite")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--pythonpath", help="run the ggzy package of this folder (a baseline)")
    args = parser.parse_args()
    if args.pythonpath:
        os.environ["PYTHONPATH"] = args.pythonpath
    server = None
    results = []
    try:
        for database in args.databases.split(","):
            if database == "postgresql" and server is None:
                sys.path.insert(0, str(HERE.parent / "tests"))
                from pg_harness import PostgresServer

                server = PostgresServer()
                admin_url = server.start()
            for size in (int(s) for s in args.sizes.split(",")):
                url = ledger(size) if database == "sqlite" else postgres_ledger(admin_url, size)
                walls, peaks = [], []
                for _ in range(args.repeat):
                    wall, peak, stdout = measure(verify_command(url))
                    report = json.loads(stdout)
                    if not report["ok"]:
                        raise SystemExit(f"verify found breaks in the generated ledger: {report['breaks'][:3]}")
                    walls.append(wall)
                    peaks.append(peak)
                results.append({"database": database, "records": size, "median_s": round(statistics.median(walls), 2),
                                "peak_mib": max(peaks), "links": report["links"]})
                print(json.dumps(results[-1]), file=sys.stderr)
    finally:
        if server is not None:
            server.stop()
    print(json.dumps({"date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                      f"Python {platform.python_version()}", "code": args.pythonpath or "this checkout",
                      "results": results}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
