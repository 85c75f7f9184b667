"""`ggzy rates --by category,subcategory,region` on ledgers of 1,000 and 1,000,000 records.

    python benchmarks/bench_rates.py [--sizes 1000,1000000] [--repeat 5]

Ledgers are generated once into benchmarks/data/ (make_ledger.py: the import's bulk path). Each run is a
fresh `ggzy` process (start-up included). Two rule files: the default rules, whose measures are linear and
are computed from the record totals, and the default rules plus one measure with abs(), which makes the
engine read the records themselves (the slow path, measured so it is not hidden).
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
GGZY = str(Path(sys.executable).with_name("ggzy"))
BY = "category,subcategory,region"


def ledger(size: int) -> str:
    path = HERE / "data" / f"ledger-{size}.db"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        print(f"generating {path} …", file=sys.stderr)
        subprocess.run([sys.executable, str(HERE / "make_ledger.py"), str(size), f"sqlite:///{path}"], check=True)
    return f"sqlite:///{path}"


def timed(command: list[str], repeat: int) -> float:
    walls = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
    return round(statistics.median(walls), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,1000000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    abs_rules = HERE / "data" / "rules-with-abs.yaml"
    abs_rules.parent.mkdir(parents=True, exist_ok=True)
    shipped = subprocess.run([sys.executable, "-c", "from ggzy.rules.engine import load_rules; "
                              "print(load_rules().source)"], check=True, capture_output=True, text=True).stdout.strip()
    abs_rules.write_text(f"include: {shipped}\nmeasures:\n  gap: {{sum: abs(budget - deal)}}\n", encoding="utf-8")
    results = []
    for size in sizes:
        url = ledger(size)
        cases = (("default rules (record totals)", []), ("with abs() (records)", ["--rules", str(abs_rules)]))
        for name, extra in cases:
            wall = timed([GGZY, "--db", url, "rates", "--by", BY, "--format", "json", *extra], args.repeat)
            results.append({"records": size, "rules": name, "median_s": wall})
            print(json.dumps(results[-1]), file=sys.stderr)
    smallest = {r["rules"]: r["median_s"] for r in results if r["records"] == sizes[0]}
    for result in results:
        result["ratio_to_smallest"] = round(result["median_s"] / smallest[result["rules"]], 2)
    print(json.dumps({"date": time.strftime("%Y-%m-%d"), "by": BY, "results": results}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
