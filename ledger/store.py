"""The store: an engine built from a URL (SQLite by default, PostgreSQL for a shared ledger)."""

from __future__ import annotations

import getpass
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ggzy.errors import LedgerError, UsageError
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlmodel import create_engine

DEFAULT_URL = "sqlite:///ggzy.db"


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # a second writer waits (30 s, or GGZY_BUSY_TIMEOUT seconds) instead of failing at once
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB: a million-row import keeps its index pages cached
    cursor.close()


def busy_timeout_ms() -> int:
    try:
        return max(0, int(float(os.environ.get("GGZY_BUSY_TIMEOUT", "30")) * 1000))
    except ValueError:
        return 30_000


def write_failure(exc: OperationalError, where: str) -> LedgerError:
    """One sentence for a write the database refused: busy, read-only, full disk, or as it says."""
    message = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    lowered = message.lower()
    if "locked" in lowered or "busy" in lowered:
        return LedgerError(f"ledger {where} is busy: another program kept it locked for "
                           f"{busy_timeout_ms() // 1000} s; nothing was written, try again when it has finished")
    if "readonly" in lowered or "read-only" in lowered:
        return LedgerError(f"ledger {where} is read-only ({message}); nothing was written: use a writable copy or "
                           "ask for write access")
    if "disk is full" in lowered or "no space" in lowered or "database or disk is full" in lowered:
        return LedgerError(f"ledger {where}: the disk is full; nothing was written: free space and run the "
                           "command again")
    return LedgerError(f"cannot write ledger {where}: {message}; nothing was written")


def make_engine(url: str | None = None, *, create: bool = True) -> Engine:
    """Engine for ``url`` (default: ``GGZY_DB`` or ./ggzy.db). Raises UsageError for a bad URL.

    ``create=False`` (every command but ``init``): a SQLite file must already be there — LedgerError saying so
    otherwise — and is opened with ``mode=rw``, so a typo in a path never leaves an empty ledger behind."""
    url = url or os.environ.get("GGZY_DB") or DEFAULT_URL
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")  # psycopg 3 is the driver we ship
        options = {}
        if not create and parsed.get_backend_name() == "sqlite":
            path = sqlite_path(parsed.database)
            if path is not None:
                if not path.is_file():
                    raise LedgerError(no_ledger(str(path)))
                # check_same_thread: the pool may hand a connection to another thread, as the dialect allows
                options["creator"] = lambda: sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True,
                                                             check_same_thread=False)
        engine = create_engine(parsed, **options)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        if "://" not in url:  # a file path where a URL goes (--db ggzy.db): say the URL of that file
            raise UsageError(f"ledger {url!r} is a path, not a URL: for that file write sqlite:///{url} (--db or "
                             "GGZY_DB; a shared ledger is postgresql+psycopg://user@host/dbname)") from None
        raise UsageError(
            f"ledger URL {url!r} is not usable ({exc}); write e.g. sqlite:///ggzy.db or "
            "postgresql+psycopg://user@host/dbname"
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def sqlite_path(database: str | None) -> Path | None:
    """The file of a SQLite ledger; None for an in-memory one."""
    if database in (None, "", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def no_ledger(where: str) -> str:
    return f"no ledger at {where}: run `ggzy init` or give --db"


@contextmanager
def read_snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection whose reads all see the ledger at one moment, for a read made of many queries (verify): a
    REPEATABLE READ, read-only transaction on PostgreSQL; on SQLite one read transaction, whose shared lock
    lets no writer commit until it ends (a writer waits, up to the busy timeout)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            yield conn
        return
    with engine.connect() as conn:
        conn.exec_driver_sql("BEGIN")  # the driver opens no transaction for reads by itself
        try:
            yield conn
        finally:
            conn.rollback()


def describe(engine: Engine) -> str:
    """The ledger's URL without its password, for reports; the read-only view's SQLite URI
    (sqlite:///file:%2Fpath?mode=ro&uri=true) as the user gives the ledger: sqlite:////path."""
    from urllib.parse import unquote

    url, database = engine.url, engine.url.database or ""
    if url.get_backend_name() == "sqlite" and url.query.get("uri") == "true" and database.startswith("file:"):
        return f"sqlite:///{unquote(database.removeprefix('file:'))}"
    return url.render_as_string(hide_password=True)


def current_operator(explicit: str | None = None) -> str:
    """Who is working: --user, else GGZY_USER, else the OS user."""
    if explicit:
        return explicit
    if os.environ.get("GGZY_USER"):
        return os.environ["GGZY_USER"]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def make_readonly_engine(url: str | None = None) -> Engine:
    """An engine that cannot write, for viewers (`ggzy serve`): a SQLite file opened with a ``mode=ro`` URI (never
    created, never locked for writing); PostgreSQL sessions with ``default_transaction_read_only`` (a login in the
    auditor role of `ggzy db grant` works). Raises LedgerError for a SQLite file that does not exist."""
    from pathlib import Path
    from urllib.parse import quote

    url = url or os.environ.get("GGZY_DB") or DEFAULT_URL
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise UsageError(f"ledger URL {url!r} is not usable ({exc})") from None
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise UsageError("a read-only view needs a ledger file: give --db sqlite:///path/to/ggzy.db")
        path = Path(parsed.database).resolve()
        if not path.is_file():
            raise LedgerError(no_ledger(str(path)))
        readonly = f"sqlite:///file:{quote(str(path))}?mode=ro&uri=true"
        return make_engine(readonly)
    if parsed.get_backend_name() == "postgresql":
        given = parsed.query.get("options")  # a str, or a tuple when the URL repeats the key
        options = " ".join(filter(None, [*((given,) if isinstance(given, str) else given or ()),
                                         "-c default_transaction_read_only=on"]))
        return make_engine(parsed.update_query_dict({"options": options}).render_as_string(hide_password=False))
    raise UsageError(f"ledger URL {url!r}: the read-only view serves SQLite and PostgreSQL ledgers")
