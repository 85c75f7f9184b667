"""`ggzy`: the command line. Thin: parse options, call the library, turn library errors into exit codes.

Exit codes (DESIGN.md): 0 clean; 1 ran and found something; 2 bad usage, unreadable input or a ledger
that cannot be written — and then nothing was written.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import click
from ggzy.errors import GgzyError
from ggzy.ledger.schema import require_schema
from ggzy.ledger.store import describe, make_engine, write_failure
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError


@dataclass
class Settings:
    """Global options, shared by every command through the click context."""

    db: str | None
    lang: str
    user: str | None
    _engine: Engine | None = None

    def engine(self, *, initialised: bool = True) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.db)
            if initialised:
                require_schema(self._engine)
        return self._engine


def _ledger_of(ctx: click.Context) -> str:
    settings = ctx.find_object(Settings)
    return describe(settings._engine) if settings and settings._engine else "the ledger"


class TranslatingGroup(click.Group):
    """Turns named library errors into one sentence on stderr and the DESIGN.md exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GgzyError as exc:
            click.echo(f"ggzy: {exc}", err=True)
            sys.exit(exc.exit_code)
        except OperationalError as exc:
            click.echo(f"ggzy: {write_failure(exc, _ledger_of(ctx))}", err=True)
            sys.exit(2)
        except ProgrammingError as exc:
            where = _ledger_of(ctx)
            click.echo(f"ggzy: cannot use ledger {where}: {str(exc.orig).strip().splitlines()[0]}; "
                       "check that it exists, is writable and that `ggzy init` was run", err=True)
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
    )

    for module in (ledger_cmds, import_cmd, profile_cmd, rates_cmds, check_cmd, report_cmds, audit_cmds,
                   bulletin_cmd):
        for command in module.COMMANDS:
            main.add_command(command)


_register()

if __name__ == "__main__":  # pragma: no cover
    main()
