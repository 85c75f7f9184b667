"""Start-up: `ggzy --help` and usage errors against a bare `python -c "import click"` (issue 17, goal ≤ 3×).

    python benchmarks/bench_startup.py [--repeat 21]

Each case is a fresh process, timed from spawn to exit (interpreter start-up included, as a user waits for
it); the cases are interleaved round by round so that a change in the machine's load touches all of them
alike; the figure is the median of --repeat rounds. The ratio is the case's median over the yardstick's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

GGZY = str(Path(sys.executable).with_name("ggzy"))

CASES: dict[str, tuple[list[str], int]] = {  # name → (command, the exit code it must give)
    "import click (yardstick)": ([sys.executable, "-c", "import click"], 0),
    "ggzy --help": ([GGZY, "--help"], 0),
    "ggzy import --help": ([GGZY, "import", "--help"], 0),
    "ggzy import (no FILE: usage error)": ([GGZY, "import"], 2),
    "ggzy check --format xml (usage error)": ([GGZY, "check", "--format", "xml"], 2),
}


def once(command: list[str], expected: int) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    if done.returncode != expected:
        raise SystemExit(f"{' '.join(command)}: exit {done.returncode}, expected {expected}")
    return wall


def run(repeat: int) -> dict:
    walls: dict[str, list[float]] = {name: [] for name in CASES}
    for command, expected in CASES.values():  # one warm-up round: file caches, .pyc files
        once(command, expected)
    for _ in range(repeat):
        for name, (command, expected) in CASES.items():
            walls[name].append(once(command, expected))
    yardstick = statistics.median(walls["import click (yardstick)"])
    results = [{"case": name, "median_s": round(statistics.median(w), 4), "min_s": round(min(w), 4),
                "ratio": round(statistics.median(w) / yardstick, 2)} for name, w in walls.items()]
    worst = max(r["ratio"] for r in results if not r["case"].startswith("import click"))
    return {"repeat": repeat, "machine": platform.platform(), "cpus": os.cpu_count(),
            "python": platform.python_version(), "date": time.strftime("%Y-%m-%d %H:%M"),
            "load": os.getloadavg()[0], "results": results, "worst_ratio": worst}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    report = run(args.repeat)
    for result in report["results"]:
        print(f"  {result['case']:<40} {result['median_s'] * 1000:7.1f} ms  {result['ratio']:5.2f}×", file=sys.stderr)
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
