"""`ggzy profile suggest FILE [-o PROFILE.yaml]`: a starting profile for a layout, from the importer's own
decisions (the same ones `ggzy import --explain` prints)."""

from __future__ import annotations

from pathlib import Path

import click
from ggzy.commands.settings import Settings
from ggzy.errors import InputError


@click.group(name="profile")
def profile_group() -> None:
    """Import profiles: how to read a layout the importer cannot read alone."""


@profile_group.command(name="suggest")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="PROFILE.yaml",
              help="Write the profile there (default: print it).")
@click.option("--profile", metavar="NAME_OR_PATH", help="Start from this profile's columns and unit.")
@click.pass_obj
def suggest(settings: Settings | None, file: Path, output: Path | None, profile: str | None) -> None:
    """Write a starting profile for FILE: every header with the field it was read as and why; the headers
    the importer did not use on its own are marked GUESS. Check those lines, then `ggzy import --profile`."""
    from ggzy.imports.base import Profile
    from ggzy.imports.explain import suggest_profile
    from ggzy.imports.service import read_headers
    from ggzy.vocab import use_ledger

    use_ledger(settings.db if settings else None)
    loaded = Profile.load(profile)
    readings = read_headers([file], loaded)
    text = suggest_profile(file, readings, loaded)
    if output is None:
        click.echo(text, nl=False)
        return
    if output.exists() and output.is_dir():
        raise InputError(f"{output}: is a folder; give a file name such as {output / (file.stem + '.yaml')}")
    temporary = output.with_name(output.name + ".partial")
    try:
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(output)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise InputError(f"{output}: cannot write the profile ({exc.strerror}); choose another -o") from None
    guesses = sum(1 for line in text.splitlines() if "GUESS" in line and not line.startswith("#"))
    unit = "; the money unit is needed: see the line marked UNIT NEEDED" if "UNIT NEEDED" in text else ""
    click.echo(f"wrote {output}: {guesses} line(s) to check (marked GUESS){unit}", err=True)


COMMANDS = [profile_group]
