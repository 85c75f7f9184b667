"""`ggzy`: the command line. Thin: parse options, call the library, turn library errors into exit codes.

Exit codes (DESIGN.md): 0 clean; 1 ran and found something; 2 bad usage, unreadable input or a ledger
that cannot be written — and then nothing was written. Exit codes are decided here and nowhere else: a
command that found something raises ``FoundSomething``; library errors carry their code.

Start-up is kept to click and a few small modules (issue 17): the command modules import the ledger,
polars, SQLAlchemy, rich and Great Expectations inside the functions that use them, so `ggzy --help` and a
usage error answer in the time Python takes to import click (tests/test_startup.py holds this).
"""

from __future__ import annotations

import sys
from typing import Any

import click
from ggzy.commands.settings import Settings
from ggzy.errors import FoundSomething, GgzyError


def _ledger_of(ctx: click.Context) -> str:
    settings = ctx.find_object(Settings)
    if settings is None or settings._engine is None:
        return "the ledger"
    from ggzy.ledger.store import describe

    return describe(settings._engine)


def _database_failure(exc: Exception, ctx: click.Context) -> str | None:
    """One sentence for a database error the ledger could not absorb; None for anything else. SQLAlchemy
    is only looked at when a command has loaded it (an exception cannot come from a library not imported)."""
    if "sqlalchemy" not in sys.modules:
        return None
    from sqlalchemy.exc import OperationalError, ProgrammingError

    if isinstance(exc, OperationalError):
        from ggzy.ledger.store import write_failure

        return str(write_failure(exc, _ledger_of(ctx)))
    if isinstance(exc, ProgrammingError):
        return (f"cannot use ledger {_ledger_of(ctx)}: {str(exc.orig).strip().splitlines()[0]}; "
                "check that it exists, is writable and that `ggzy init` was run")
    return None


class TranslatingGroup(click.Group):
    """Turns named library errors into one sentence on stderr and the DESIGN.md exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FoundSomething as found:  # the command's output already says what it found
            sys.exit(found.exit_code)
        except GgzyError as exc:
            click.echo(f"ggzy: {exc}", err=True)
            sys.exit(exc.exit_code)
        except Exception as exc:
            message = _database_failure(exc, ctx)
            if message is None:
                raise
            click.echo(f"ggzy: {message}", err=True)
            sys.exit(2)


@click.group(cls=TranslatingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="GGZY_DB", metavar="URL",
              help="Ledger URL (SQLAlchemy): sqlite:///ggzy.db (default) or postgresql+psycopg://…")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of report labels.")
@click.option("--user", "user", envvar="GGZY_USER", metavar="NAME", help="Operator recorded (default: OS user).")
@click.version_option(package_name="ggzy-ledger")
@click.pass_context
def main(ctx: click.Context, db: str | None, lang: str, user: str | None) -> None:
    """ggzy — ledger and reconciliation for public resource trading centres (公共资源交易中心).

    Import monthly workbooks of trading records, compute savings and premium rates, reconcile the
    ledger against published figures and write the auditor's exception report.
    """
    ctx.obj = Settings(db, lang, user)


def _register() -> None:
    from ggzy.commands import (
        audit_cmds,
        bulletin_cmd,
        check_cmd,
        import_cmd,
        ledger_cmds,
        profile_cmd,
        rates_cmds,
        report_cmds,
        serve_cmd,
    )

    for module in (ledger_cmds, import_cmd, profile_cmd, rates_cmds, check_cmd, report_cmds, audit_cmds,
                   bulletin_cmd, serve_cmd):
        for command in module.COMMANDS:
            main.add_command(command)


_register()

if __name__ == "__main__":  # pragma: no cover
    main()
