"""`ggzy serve`: the read-only web view of the ledger for auditors."""

from __future__ import annotations

import click
from ggzy.commands.settings import Settings


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.pass_obj
def serve(settings: Settings, host: str, port: int) -> None:
    """Serve a read-only web view of the ledger: periods and rates, reconciliation runs down to each
    discrepancy's records and their source rows, quarantine, conflicts and failed expectations.

    GET only; the ledger is opened read-only (SQLite mode=ro; PostgreSQL default_transaction_read_only, so an
    auditor login of `ggzy db grant` is enough). Ctrl+C stops it.
    """
    import socket

    import uvicorn
    from ggzy.errors import UsageError
    from ggzy.ledger.schema import require_schema
    from ggzy.ledger.store import describe, make_engine, make_readonly_engine
    from ggzy.web.app import create_app

    engine = make_readonly_engine(settings.db)
    require_schema(engine)
    app = create_app(engine, settings.lang)
    try:  # a port in use or an address not of this machine: one sentence and exit 2, not uvicorn's log
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port} ({exc.strerror}); choose another --port or --host") from None
    # the ledger as the user named it, not the read-only engine's file: URI
    named = describe(make_engine(settings.db, create=False))
    from ggzy.reports.labels import LABELS

    click.echo(LABELS[settings.lang]["serving"].format(ledger=named, host=host, port=port), err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


COMMANDS = [serve]
