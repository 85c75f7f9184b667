"""Import speed and memory against a bare calamine read of the same workbook.

    python benchmarks/bench_import.py [--rows 200000] [--repeat 3] [--db-url postgresql+psycopg://…]

Writes (once, cached in benchmarks/data/) a workbook of ROWS records in the layout centres send (title,
unit line, header, blank rows, 合计, note), then times in fresh processes, each on a fresh ledger:
  bare      python -c "polars.read_excel(path, engine='calamine')"   (the yardstick)
  no-check  ggzy import --no-check   (read, normalise, classify, post)
  default   ggzy import              (the same plus the record suite: screened on the polars frame, Great
                                       Expectations run when an expectation fails)
  naive     naive_import.py          (openpyxl cell loop + pandas + one SQLModel object per row: how a
                                       user would script it today; --cases …,naive, slow: 2 min at 200k)
Wall time is the median of --repeat runs (the cases interleaved round by round), peak memory the largest
resident set of any run (wait4's ru_maxrss). Every process includes interpreter start-up and imports, as a
user would see it.
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
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from make_workbook import write  # noqa: E402

GGZY = str(Path(sys.executable).with_name("ggzy"))


def measure(command: list[str]) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in MiB, stdout) of one run, the process reaped with wait4 for its rusage."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed: {err.read().decode()[-500:]}")
        return wall, usage.ru_maxrss // 1024, out.read().decode()


def run_cases(names: list[str], command_for: dict[str, Callable[[str], list[str]]], repeat: int,
              fresh_ledger: Callable[[], str]) -> list[dict]:
    """Each case ``repeat`` times, interleaved round by round (bare, no-check, default, bare, …) so that a
    change in the machine's load touches every case alike."""
    walls: dict[str, list[float]] = {name: [] for name in names}
    peaks: dict[str, list[int]] = {name: [] for name in names}
    for _ in range(repeat):
        for name in names:
            url = fresh_ledger()
            wall, peak, stdout = measure(command_for[name](url))
            walls[name].append(wall)
            peaks[name].append(peak)
            if name not in ("bare", "naive"):
                item = json.loads(stdout)["files"][0]
                assert item["status"] == "posted" and item["rows"] == item["posted"], item
    return [{"case": name, "median_s": round(statistics.median(walls[name]), 2),
             "runs_s": [round(w, 2) for w in walls[name]], "peak_mib": max(peaks[name])} for name in names]


def run(rows: int, repeat: int, cases: list[str], db_url: str | None = None) -> dict:
    """The report of one benchmark run: per case its median wall time, peak memory and ratio to the bare read."""
    workbook = HERE / "data" / f"records-{rows}.xlsx"
    if not workbook.exists():
        print(f"writing {workbook} …", file=sys.stderr)
        write(rows, workbook)
    scratch = Path(tempfile.mkdtemp(prefix="ggzy-bench-"))
    counter = iter(range(1_000_000))

    def fresh_sqlite() -> str:
        url = f"sqlite:///{scratch / f'ledger-{next(counter)}.db'}"
        subprocess.run([GGZY, "--db", url, "init"], check=True, capture_output=True)
        return url

    def fresh_postgres() -> str:
        from sqlalchemy import create_engine, text

        assert db_url is not None
        engine = create_engine(db_url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        subprocess.run([GGZY, "--db", db_url, "init"], check=True, capture_output=True)
        return db_url

    bare = ["-c", f"import polars; polars.read_excel({str(workbook)!r}, engine='calamine')"]
    commands = {
        "bare": lambda _url: [sys.executable, *bare],
        "no-check": lambda url: [GGZY, "--db", url, "import", "--no-check", "--format", "json", str(workbook)],
        "default": lambda url: [GGZY, "--db", url, "import", "--format", "json", str(workbook)],
        "naive": lambda _url: [sys.executable, str(HERE / "naive_import.py"), str(workbook)],
    }
    results = []
    for backend, fresh in (("sqlite", fresh_sqlite), *((("postgresql", fresh_postgres),) if db_url else ())):
        names = [n for n in cases if n != "bare" or backend == "sqlite"]
        for result in run_cases(names, commands, repeat, fresh):
            results.append(result | {"backend": backend})
            print(json.dumps(results[-1]), file=sys.stderr)
    shutil.rmtree(scratch, ignore_errors=True)
    yardstick = next((r["median_s"] for r in results if r["case"] == "bare"), None)
    naive = next((r["median_s"] for r in results if r["case"] == "naive"), None)
    for result in results:
        result["rows_per_s"] = round(rows / result["median_s"])
        result["ratio_to_bare"] = round(result["median_s"] / yardstick, 2) if yardstick else None
        result["times_faster_than_naive"] = round(naive / result["median_s"], 1) if naive else None
    return {"rows": rows, "workbook_bytes": workbook.stat().st_size, "machine": platform.platform(),
            "cpus": os.cpu_count(), "python": platform.python_version(), "date": time.strftime("%Y-%m-%d %H:%M"),
            "load": os.getloadavg()[0], "results": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db-url", help="a PostgreSQL URL to measure posting there too (its tables are dropped)")
    parser.add_argument("--cases", default="bare,no-check,default")
    args = parser.parse_args()
    print(json.dumps(run(args.rows, args.repeat, args.cases.split(","), args.db_url), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
