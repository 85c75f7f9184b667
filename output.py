"""Terminal output: tables (rich), CSV and JSON (UTF-8, Chinese not escaped), progress bars.

rich is imported inside the functions that draw: every command imports this module, and `ggzy --help` or a
usage error must not pay for a table library (issue 17).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click


def emit_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def emit_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """CSV on stdout; a text starting with = + - @ gets a leading ' so spreadsheets keep it inert."""
    import csv

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_inert(v) for v in row])


def _inert(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not _is_number(value):
        return "'" + value
    return "" if value is None else value


def _is_number(text: str) -> bool:
    try:
        float(text)  # display check only: is this text a plain number such as -0.0008?
    except ValueError:
        return False
    return True


def emit_table(header: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None,
               right: Sequence[int] = ()) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, header_style="bold", show_lines=False)
    for index, name in enumerate(header):
        table.add_column(name, justify="right" if index in right else "left", overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    Console(width=max(Console().width, 160) if not sys.stdout.isatty() else None).print(table)


@contextmanager
def progress_bar(label: str, total: int | None, enabled: bool) -> Iterator[Any]:
    """A progress bar on stderr when it is a terminal and enabled; otherwise a no-op callback."""
    if not enabled or not sys.stderr.isatty():
        yield lambda _n: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(label, total=total)
        yield lambda n: progress.advance(task, n)


@contextmanager
def progress_tasks(labels: Sequence[str], enabled: bool) -> Iterator[list[Any]]:
    """Several counters (e.g. rows read, rows posted) on one live display; no-ops when not a terminal."""
    if not enabled or not sys.stderr.isatty():
        yield [lambda _n: None for _ in labels]
        return
    from rich.console import Console
    from rich.progress import Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), TextColumn("{task.completed:>10,.0f} rows"),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=True) as progress:
        tasks = [progress.add_task(label, total=None) for label in labels]
        yield [lambda n, task=task: progress.advance(task, n) for task in tasks]
