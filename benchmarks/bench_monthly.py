"""A monthly file imported with the record suite against the same import with --no-check (issue 17, goal ≤ 1.5×).

    python benchmarks/bench_monthly.py [--repeat 7] [--rows 5000]

Files: the Haidong July workbook of examples/ (173 records, real layout) and a generated workbook of --rows
records (make_workbook.py, cached in benchmarks/data/); both pass every expectation of the shipped record
suite, as most monthly files do. A third file, the generated one with three purchases dealt above budget,
shows the other path: an expectation fails, so Great Expectations is imported and validates the file (its
result is what the import reports); no goal is set for it, the figure says what a failing file costs.

Each run is a fresh process on a fresh SQLite ledger (`ggzy init` not timed), wall time from spawn to exit;
the two cases of a file alternate run by run, and the figure is the median of --repeat runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from bench_import import GGZY, measure  # noqa: E402
from make_workbook import write  # noqa: E402

HAIDONG = HERE.parent / "examples" / "haidong-2022Q3" / "海东市2022年07月交易明细.xlsx"


def workbooks(rows: int, failing: bool = True) -> dict[str, tuple[Path, bool]]:
    """name → (workbook, whether every record passes the suite); the failing file only when asked."""
    clean = HERE / "data" / f"records-{rows}.xlsx"
    if not clean.exists():
        write(rows, clean)
    files = {f"Haidong July ({HAIDONG.name}, 173 rows)": (HAIDONG, True), f"generated, {rows:,} rows": (clean, True)}
    if failing:
        over = HERE / "data" / f"records-{rows}-over-budget.xlsx"
        if not over.exists():
            write(rows, over, over_budget=3)
        files[f"generated, {rows:,} rows, 3 over budget (GX runs)"] = (over, False)
    return files


def run(repeat: int, rows: int, failing: bool = True) -> dict:
    scratch = Path(tempfile.mkdtemp(prefix="ggzy-monthly-"))
    counter = iter(range(1_000_000))
    results = []
    try:
        for name, (path, clean) in workbooks(rows, failing).items():
            walls: dict[str, list[float]] = {"no-check": [], "default": []}
            for _ in range(repeat):
                for case in walls:
                    url = f"sqlite:///{scratch / f'ledger-{next(counter)}.db'}"
                    subprocess.run([GGZY, "--db", url, "init"], check=True, capture_output=True)
                    flags = ["--no-check"] if case == "no-check" else []
                    wall, _peak, stdout = measure([GGZY, "--db", url, "import", *flags, "--format", "json", str(path)])
                    report = json.loads(stdout)
                    assert report["files"][0]["status"] == "posted", report["files"]
                    if case == "default":
                        assert bool(report["findings"]) != clean, report["findings"]
                    walls[case].append(wall)
            medians = {case: statistics.median(w) for case, w in walls.items()}
            results.append({"file": name, "all_pass": clean, "no_check_s": round(medians["no-check"], 3),
                            "default_s": round(medians["default"], 3),
                            "ratio": round(medians["default"] / medians["no-check"], 2),
                            "runs": {case: [round(w, 3) for w in ws] for case, ws in walls.items()}})
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    worst = max(r["ratio"] for r in results if r["all_pass"])
    return {"repeat": repeat, "machine": platform.platform(), "cpus": os.cpu_count(),
            "python": platform.python_version(), "date": time.strftime("%Y-%m-%d %H:%M"),
            "load": os.getloadavg()[0], "results": results, "worst_ratio_passing_files": worst}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    report = run(args.repeat, args.rows)
    for r in report["results"]:
        print(f"  {r['file']:<62} no-check {r['no_check_s']:6.2f} s  suite {r['default_s']:6.2f} s  "
              f"{r['ratio']:5.2f}×", file=sys.stderr)
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
