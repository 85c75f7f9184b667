"""`ggzy check`: the expectation suites over the ledger (records, ledger summary, published figures)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from ggzy.commands.options import format_option
from ggzy.commands.settings import Settings
from ggzy.errors import FoundSomething

if TYPE_CHECKING:
    from ggzy.rules.suites import Suite

def suites_from(paths: tuple[Path, ...]) -> list[Suite]:
    """The shipped record and ledger suites, each replaced by a given file of the same level."""
    from ggzy.rules.suites import load_suite

    given = [load_suite(p) for p in paths]
    levels = {s.level for s in given}
    return [*(load_suite(level=level) for level in ("record", "ledger") if level not in levels), *given]


def suite_option(func: Any) -> Any:
    return click.option("--suite", "suite_files", multiple=True, type=click.Path(path_type=Path),
                        metavar="FILE", help="Expectation suite file (replaces the shipped suite of its level; "
                        "start it with `include: record` to extend). Repeatable.")(func)


@click.command()
@click.option("--period", metavar="P", help="Only records of this period.")
@suite_option
@click.option("--published", "published_file", type=click.Path(path_type=Path), metavar="PUBLISHED.yaml",
              help="Also check every published figure of this file as an expectation on the ledger.")
@click.option("--rules", "rules_file", type=click.Path(path_type=Path),
              help="Rule file: which categories have which rate base; the measures of --published.")
@click.option("--docs", "docs", type=click.Path(path_type=Path), metavar="DIR",
              help="Also build Great Expectations Data Docs (static HTML) in DIR.")
@format_option("table", "json")
@click.pass_obj
def check(settings: Settings, period: str | None, suite_files: tuple[Path, ...], published_file: Path | None,
          rules_file: Path | None, docs: Path | None, fmt: str) -> None:
    """Run the expectation suites over the ledger: record-level, ledger-level and, with --published, one
    expectation per published figure. Exit 1 when an error-level expectation fails (warnings are reported)."""
    from ggzy.periods import parse_period

    if period:
        parse_period(period)  # before the heavy imports: a mistyped period costs what --help costs
    from ggzy.commands.text_output import print_check
    from ggzy.output import emit_json
    from ggzy.rules.checking import run_checks

    suites = suites_from(suite_files)
    from ggzy.rules.engine import load_rules

    rules = load_rules(rules_file)
    reconciliation = None
    if published_file is not None:
        from ggzy.rules.published import load_published
        from ggzy.rules.reconcile import reconcile

        reconciliation = reconcile(settings.engine(), load_published(published_file, rules.kinds()), rules)
    outcome = run_checks(settings.engine(), period, suites, reconciliation, docs, rules)
    failed = [f for f in outcome.findings if not f.success]
    summary = {"expectations": len(outcome.findings), "ok": len(outcome.findings) - len(failed),
               "failed_errors": len(outcome.failed_errors), "failed_warnings": len(failed) - len(outcome.failed_errors)}
    if fmt == "json":
        from ggzy.periods import parse_period

        emit_json({"period": parse_period(period).canonical if period else None, "records": outcome.records,
                   "summary": summary,
                   "docs": str(outcome.docs_index) if outcome.docs_index else None,
                   "expectations": [f.as_json() for f in outcome.findings]})
    else:
        print_check(outcome, summary, settings.lang)
    if outcome.failed_errors:
        raise FoundSomething(f"{len(outcome.failed_errors)} error-level expectation(s) failed")


COMMANDS = [check]
