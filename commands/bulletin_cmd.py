"""`ggzy bulletin extract FILE [-o PUBLISHED.yaml]`."""

from __future__ import annotations

from pathlib import Path

import click
from ggzy.bulletins.extract import extract as extract_figures
from ggzy.bulletins.extract import read_bulletin, to_yaml
from ggzy.errors import GgzyError, UsageError
from sqlalchemy import select


@click.group()
def bulletin() -> None:
    """Published figures from bulletins (工作专报, 通报, 工作总结)."""


@bulletin.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), help="Write the published-figures file here "
              "(default: standard output).")
@click.option("--phrases", type=click.Path(path_type=Path), help="Phrasebook (.yaml) to use instead of the "
              "shipped one (ggzy/data/bulletin.yaml).")
@click.pass_obj
def extract(settings, file, out, phrases) -> None:  # type: ignore[no-untyped-def]
    """Turn a bulletin's text into a published-figures file for `ggzy reconcile`.

    Each figure is written under the sentence (or table row) it comes from; what cannot be placed with
    confidence is written commented out with a `review:` note. County names in table remarks are matched
    to the ledger's regions when a ledger is at hand (--db). Exit 1 when some figure needs review.
    """
    if out is not None and out.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(f"-o {out}: a published-figures file is YAML; give a name ending in .yaml")
    text = read_bulletin(file)
    period, figures = extract_figures(text, _ledger_regions(settings), str(phrases) if phrases else None)
    document = to_yaml(file, text, period, figures)
    if out is None:
        click.echo(document, nl=False)
    else:
        temporary = out.with_name(f".{out.name}.tmp")
        temporary.write_text(document, encoding="utf-8")
        temporary.replace(out)
        kept = sum(1 for f in figures if not f.review)
        click.echo(f"{out}: {kept} figures, {len(figures) - kept} to review, period {period or '— (set it)'}",
                   err=True)
    if period is None or any(f.review for f in figures):
        raise SystemExit(1)


def _ledger_regions(settings) -> set[str]:  # type: ignore[no-untyped-def]
    """The ledger's regions, if a ledger is there to ask; none otherwise (the bulletin alone is enough)."""
    try:
        from ggzy.ledger.queries import records_table

        with settings.engine().connect() as conn:
            return {r for (r,) in conn.execute(select(records_table().c.region).distinct()) if r}
    except (GgzyError, Exception):  # no ledger, not initialised, not reachable: read without regions
        return set()


COMMANDS = [bulletin]
