"""The three ratios of issue 17 in one quick run (`make bench-quick`, under two minutes once the workbooks exist).

    python benchmarks/bench_quick.py

1. start-up: `ggzy --help` and usage errors ÷ `python -c "import click"`       goal ≤ 3
2. a monthly file imported with the record suite ÷ the same with --no-check    goal ≤ 1.5
   (Haidong July, 173 rows, and a generated 5,000-row file; every record passes)
3. 200,000 rows imported with the suite ÷ a bare calamine read                 goal ≤ 3
Fewer repetitions than `make bench` (which also runs 1,000,000 rows): medians of few runs on a shared machine
move by ±10 %; the load average is printed with the figures.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import bench_import
import bench_monthly
import bench_startup


def main() -> None:
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    startup = bench_startup.run(repeat=9)
    monthly = bench_monthly.run(repeat=3, rows=5000, failing=False)
    bulk = bench_import.run(rows=200_000, repeat=1, cases=["bare", "no-check", "default"])
    default = next(r for r in bulk["results"] if r["case"] == "default")
    ratios = [("1. start-up (worst of --help, import --help, two usage errors) ÷ import click",
               startup["worst_ratio"], 3.0),
              ("2. monthly file with the suite ÷ --no-check (worst of Haidong July, 5,000 rows)",
               monthly["worst_ratio_passing_files"], 1.5),
              ("3. 200,000 rows with the suite ÷ bare calamine read", default["ratio_to_bare"], 3.0)]
    details = Path(__file__).parent / "data" / "bench-quick.json"
    details.write_text(json.dumps({"startup": startup, "monthly": monthly, "import_200k": bulk}, indent=1,
                                  ensure_ascii=False), encoding="utf-8")
    print(f"issue 17 ratios, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, load average "
          f"{load_before:.1f} → {os.getloadavg()[0]:.1f}, {time.perf_counter() - started:.0f} s:")
    for label, ratio, goal in ratios:
        print(f"  {label:<84} {ratio:5.2f}×  (goal ≤ {goal}: {'met' if ratio <= goal else 'NOT met'})")
    print(f"every run: {details}")


if __name__ == "__main__":
    main()
