"""`ggzy check` (the record and ledger suites, Great Expectations) on a ledger of 1,000,000 records, against
plain Great Expectations on the same rows.

    python benchmarks/bench_check.py [--size 1000000] [--repeat 3]

Three figures:
- wall: `ggzy check --format json` in a fresh process (start-up, GX import, bulk read, derived columns,
  both suites), median of --repeat runs;
- the same steps timed in-process;
- baseline: plain GX 1.x on a pandas frame of the same 1,000,000 rows, seven common expectations in one
  suite run (what issue 5 quotes as ~4.6 s on this kind of machine), validation time only.
The comparison is per expectation: ggzy's validation time / its expectations vs the baseline's / 7.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

from bench_rates import GGZY, ledger


def wall(url: str, repeat: int) -> tuple[float, dict]:
    walls, report = [], {}
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run([GGZY, "--db", url, "check", "--format", "json"], capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(done.stderr)
        report = json.loads(done.stdout)
    return statistics.median(walls), report


def in_process(url: str) -> dict[str, float]:
    from ggzy.ledger.store import make_engine
    from ggzy.rules.checking import ledger_records
    from ggzy.rules.level_frames import ledger_summary, record_frame
    from ggzy.rules.suites import load_suite
    from ggzy.rules.validation import prepare_suite, run_suite

    times: dict[str, float] = {}
    start = time.perf_counter()
    record_suite, ledger_suite = load_suite(level="record"), load_suite(level="ledger")
    prepare_suite(record_suite)
    prepare_suite(ledger_suite)
    times["GX import + suites"] = time.perf_counter() - start
    start = time.perf_counter()
    records = ledger_records(make_engine(url), None)
    times["bulk read (ADBC)"] = time.perf_counter() - start
    start = time.perf_counter()
    frame, summary = record_frame(records), ledger_summary(records)
    times["derived columns + ledger summary"] = time.perf_counter() - start
    start = time.perf_counter()
    run_suite(frame, record_suite)
    times[f"validate record suite ({len(record_suite.specs)} expectations)"] = time.perf_counter() - start
    times["record expectations"] = len(record_suite.specs)
    start = time.perf_counter()
    run_suite(summary, ledger_suite)
    times["validate ledger suite"] = time.perf_counter() - start
    times["rows"] = frame.height
    return times


def baseline(url: str) -> float:
    """Plain GX: seven expectations on a pandas frame of the same rows, validation only."""
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from ggzy.ledger.store import make_engine
    from ggzy.rules.checking import ledger_records

    frame = ledger_records(make_engine(url), None).to_pandas()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch = context.data_sources.add_pandas("p").add_dataframe_asset("a").add_batch_definition_whole_dataframe("b")
    suite = gx.ExpectationSuite(name="baseline")
    for expectation in (
        gxe.ExpectColumnValuesToNotBeNull(column="project_code"),
        gxe.ExpectColumnValuesToBeInSet(column="category", value_set=["construction", "procurement", "land",
                                                                      "mining", "property", "other"]),
        gxe.ExpectColumnValuesToBeInSet(column="status", value_set=["deal", "failed", "terminated", "suspended"]),
        gxe.ExpectColumnValuesToBeBetween(column="deal_fen", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="budget_fen", min_value=0),
        gxe.ExpectColumnValuesToNotBeNull(column="trade_date"),
        gxe.ExpectColumnValuesToBeBetween(column="reserve_fen", min_value=0),
    ):
        suite.add_expectation(expectation)
    start = time.perf_counter()
    batch.get_batch(batch_parameters={"dataframe": frame}).validate(suite)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    url = ledger(args.size)
    seconds, report = wall(url, args.repeat)
    failed = [e["expectation"] for e in report["expectations"] if not e["success"]]
    print(f"ggzy check, {args.size:,} records: {seconds:.2f} s wall (median of {args.repeat}), "
          f"{len(report['expectations'])} expectations, failed: {', '.join(failed) or 'none'}")
    steps = in_process(url)
    for name, value in steps.items():
        print(f"  {name}: {value:.2f}" + (" s" if isinstance(value, float) else ""))
    validate = next(v for k, v in steps.items() if k.startswith("validate record"))
    per_ggzy = validate / steps["record expectations"]
    plain = baseline(url)
    print(f"plain GX (pandas), 7 expectations, same rows: {plain:.2f} s validation = {plain / 7:.3f} s each")
    print(f"ggzy record suite: {validate:.2f} s for {steps['record expectations']} = {per_ggzy:.3f} s each "
          f"({per_ggzy / (plain / 7):.2f}× the baseline per expectation)")


if __name__ == "__main__":
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
    main()
