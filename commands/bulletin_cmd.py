"""`ggzy bulletin extract FILE [-o PUBLISHED.yaml]`."""

from __future__ import annotations

import os
from pathlib import Path

import click
from ggzy.commands.settings import Settings
from ggzy.errors import FoundSomething, GgzyError, UsageError


@click.group()
def bulletin() -> None:
    """Published figures from bulletins (工作专报, 通报, 工作总结)."""


@bulletin.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), help="Write the published-figures file here "
              "(default: standard output).")
@click.option("--phrases", type=click.Path(path_type=Path), help="Phrasebook (.yaml) to use instead of the "
              "shipped one (ggzy/data/bulletin.yaml).")
@click.option("--year", type=click.IntRange(1990, 2100), help="The year of a bulletin whose text prints none "
              "('今年1至6月', '上半年'): usually its publication year.")
@click.pass_obj
def extract(settings: Settings, file: Path, out: Path | None, phrases: Path | None, year: int | None) -> None:
    """Turn a bulletin's text into a published-figures file for `ggzy reconcile`.

    Each figure is written under the sentence (or table row) it comes from; what cannot be placed with
    confidence is written commented out with a `review:` note, and so is every other number of a trading
    sentence (a growth rate, a share, an estimate, a scope the ledger cannot express), saying why. County names
    in table remarks are matched to the ledger's regions when a ledger is at hand (--db, or an existing
    ./ggzy.db); no ledger is created. Exit 1 when anything is to review.
    """
    from ggzy.bulletins.extract import extract as extract_figures
    from ggzy.bulletins.extract import needs_review, read_bulletin, to_yaml

    if out is not None and out.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(f"-o {out}: a published-figures file is YAML; give a name ending in .yaml")
    text = read_bulletin(file)
    period, figures = extract_figures(text, _ledger_regions(settings), str(phrases) if phrases else None, year)
    document = to_yaml(file, text, period, figures)
    if out is None:
        click.echo(document, nl=False)
    else:
        temporary = out.with_name(f".{out.name}.tmp")
        temporary.write_text(document, encoding="utf-8")
        temporary.replace(out)
    kept = sum(1 for f in figures if not f.review and not f.note)
    review = needs_review(period, figures)
    click.echo(f"{out or file}: {kept} figures, {review} to review, period {period or '— (give --year or set it)'}",
               err=True)
    if review:
        raise FoundSomething(f"{review} figure(s) to review")


def _ledger_regions(settings: Settings) -> set[str]:
    """The ledger's regions, if a ledger is there to ask; none otherwise (the bulletin alone is enough). Without
    --db (or GGZY_DB) only an existing ./ggzy.db is read: extracting never creates a ledger file."""
    if not (settings.db or os.environ.get("GGZY_DB")) and not Path("ggzy.db").is_file():
        return set()
    from sqlalchemy.exc import SQLAlchemyError

    try:
        from ggzy.ledger.queries import known_regions

        with settings.engine().connect() as conn:
            return known_regions(conn)
    except (GgzyError, SQLAlchemyError) as exc:  # no ledger, not initialised, not reachable: read without regions
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        click.echo(f"ggzy: warning: {reason}; the bulletin is read without the ledger's region names", err=True)
        return set()


COMMANDS = [bulletin]
