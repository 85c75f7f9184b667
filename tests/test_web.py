"""`ggzy serve` in a real browser: the command is started on a loopback port against a SQLite and a PostgreSQL
ledger (PostgreSQL as a login in the auditor role of `ggzy db grant`), and the system Chromium, driven by
Playwright, clicks from the home page to a discrepancy, to one of its records and to its source row. The view
refuses anything but GET and leaves the ledger as it found it."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlparse

import openpyxl
import pytest
from sqlalchemy import create_engine, text
from support import ROOT, nothing_made, run, workbook

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
OVER = ["政府采购", "分散采购", "CG-OVER", "01", "办公家具采购", "乐都区", "成交", 500000, 612345.67, "2022-08-12"]
TOTAL = ["合计", None, None, None, None, None, None, 500000, 600000, None]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, method: str = "GET") -> tuple[int, bytes]:
    request = urllib.request.Request(url, method=method, data=b"x=1" if method in ("POST", "PUT") else None)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _build(url: str, tmp_path: Path, haidong: Path) -> None:
    """The Haidong ledger, a planted over-budget purchase under a 合计 row that disagrees, an amendment and a
    reconciliation against the published figures (which disagree with the ledger in six places)."""
    run(url, "import", *map(str, sorted(haidong.glob("*.xlsx"))))
    run(url, "import", str(workbook(tmp_path / "planted.xlsx", [OVER, TOTAL])))
    assert run(url, "amend", "1", "--set", "deal=518.04", "--unit", "万元", "--reason", "中标通知书").exit_code == 0
    assert run(url, "reconcile", str(haidong / "published.yaml")).exit_code == 1


@pytest.fixture
def served(ledger_url: str, tmp_path: Path, haidong: Path) -> Iterator[tuple[str, str, Path | None]]:
    """(base URL of a running `ggzy serve`, the ledger URL, the SQLite file or None)."""
    _build(ledger_url, tmp_path, haidong)
    serve_url = ledger_url
    if ledger_url.startswith("postgresql"):  # serve as an auditor: a login that may only read
        engine = create_engine(ledger_url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.begin() as conn:
            conn.execute(text("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'web_auditor') "
                              "THEN CREATE ROLE web_auditor LOGIN; END IF; END $$"))
        engine.dispose()
        assert run(ledger_url, "db", "grant", "--role", "auditor", "web_auditor").exit_code == 0
        scheme, rest = ledger_url.split("://", 1)
        serve_url = f"{scheme}://web_auditor@{rest.split('@', 1)[1]}"
    port = _free_port()
    ggzy = Path(sys.executable).parent / "ggzy"
    process = subprocess.Popen([str(ggzy), "--db", serve_url, "serve", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if _get(base + "/")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"ggzy serve did not start: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.3)
        assert process.stderr is not None
        started = process.stderr.readline().decode()  # the ledger as the user named it, not a file: URI
        assert started.startswith("只读视图: ") and "file%3A" not in started and f"http://127.0.0.1:{port}/" in started
        sqlite_file = Path(ledger_url.removeprefix("sqlite:///")) if ledger_url.startswith("sqlite") else None
        yield base, ledger_url, sqlite_file
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-wqy-microhei (make test does as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def test_click_from_home_to_a_discrepancy_its_record_and_source_row(served: tuple[str, str, Path | None],
                                                                   browser: Browser, tmp_path: Path) -> None:
    base, _, _ = served
    shots = tmp_path / "screenshots"
    shots.mkdir()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))

    def shot(name: str) -> None:
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)

    page.goto(base + "/")
    assert page.title() == "公共资源交易台账 — 只读视图"
    assert page.locator("table").first.locator("tr", has_text="2022-07").count() == 1
    shot("1-home")
    page.get_by_role("link", name="对账记录").first.click()
    assert page.url == base + "/runs"
    shot("2-runs")
    page.locator("table a").first.click()  # the latest run
    assert "/runs/" in page.url and page.locator("h1").inner_text().startswith("对账记录")
    shot("3-run")
    # figure 15: 工程建设 22.91 亿元 published; the ledger holds 22.78714577 after the amendment
    results = page.locator("section", has=page.locator("h2", has_text="对账结果"))
    row = results.locator("tr", has=page.locator("td", has_text=re.compile(r"^22\.91$")))
    assert row.count() == 1 and "差异" in row.inner_text() and "-0.1229" in row.inner_text()
    row.get_by_role("link").first.click()
    assert page.url.endswith("/figures/15/amount")
    heading = page.locator("h1").inner_text()
    assert "序号 15" in heading and "差异" in heading
    assert page.get_by_text("分解维度: 来源文件").count() == 1
    assert page.get_by_text("范围内记录: 217").count() == 1
    shot("4-discrepancy")
    # narrow to one region through the breakdown, then open the record that was amended
    page.locator("table", has=page.locator("th", has_text="区域")).get_by_role("link", name="化隆县").first.click()
    assert "region=" in page.url
    records = page.locator("#records table")
    assert records.locator("tbody tr").count() == int(page.locator("#records h3").inner_text().split(": ")[1])
    records.locator("tr", has_text="HDGC202207-0007").get_by_role("link").first.click()  # its record ID
    assert page.url == base + "/records/1"
    assert page.locator("h1").inner_text() == "交易记录 1 · 化隆县河道治理项目"
    values = page.locator("table").first.inner_text()
    assert "成交金额(元)\t5,180,400.00" in values and "所属区县\t化隆县" in values
    history = page.locator("section", has=page.locator("h3", has_text="版本记录")).inner_text()
    assert "更正" in history and "成交金额(万元) 1,721.5823 → 518.04" in history  # in the unit it was given in
    # the source row's raw cells, read from the file kept in the ledger: header → cell, as the importer read them
    raw = page.locator("#raw table").inner_text()
    assert "来源行原始内容: 海东市2022年07月交易明细.xlsx · 工程建设 · 行号 2" in page.locator("#raw").inner_text()
    for cells in ("项目编号\tHDGC202207-0007", "成交金额(万元)\t1721.5823", "预算金额(万元)\t1805.9398",
                  "中标人\t陕西华源实业有限公司"):
        assert cells in raw, cells
    assert page.locator("#held").count() == 0  # nothing of this row was held
    shot("5-record")
    # the source row: file, sheet, row, and the batch with its file hash and chain link
    source = page.locator("#source table").inner_text()
    assert "海东市2022年07月交易明细.xlsx\t工程建设\t2" in source
    page.locator("#source").get_by_role("link", name="海东市2022年07月交易明细.xlsx").click()
    assert page.url == base + "/batches/1"
    batch = page.locator("table").first.inner_text()
    assert "海东市2022年07月交易明细.xlsx" in batch and "链节" in batch
    shot("6-source")
    page.goto(base + "/checks")
    failed = page.locator("tr", has_text="procurement_within_budget")
    assert failed.count() == 1
    failed.get_by_role("link").first.click()
    assert "办公家具采购" in page.content() and "112,345.67" in page.content()
    shot("7-check")
    for path in ("/rates", "/quarantine", "/conflicts"):
        page.goto(base + path)
        assert page.locator("h1").count() == 1
        shot(path.strip("/"))
    page.goto(base + "/rates")
    assert page.locator("svg").count() == 2  # the report's charts, served inline
    assert all(urlparse(u).netloc == urlparse(base).netloc for u in requested), "a page fetched from elsewhere"
    assert len(list(shots.glob("*.png"))) == 10
    page.close()


def _crawl(base: str, limit: int = 150) -> list[str]:
    """Every page reachable from the home page (breadth first, this server only), downloads included."""
    from html.parser import HTMLParser

    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            href = dict(attrs).get("href")
            if tag == "a" and href:
                self.found.append(href)

    seen, queue = [base + "/"], [base + "/"]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        status, body = _get(url)
        assert status == 200, f"{url}: {status}"
        if "format=" in url or url.endswith("/source"):  # downloads: not pages
            continue
        parser = Links()
        parser.feed(body.decode("utf-8"))
        for href in parser.found:
            target = urljoin(url, href).split("#")[0]
            if urlparse(target).netloc == urlparse(base).netloc and target not in seen:
                seen.append(target)
                queue.append(target)
    return seen


def test_only_get_and_the_ledger_is_unchanged_after_a_crawl(served: tuple[str, str, Path | None]) -> None:
    base, ledger_url, sqlite_file = served
    before = hashlib.sha256(sqlite_file.read_bytes()).hexdigest() if sqlite_file else None
    engine = create_engine(ledger_url.replace("postgresql://", "postgresql+psycopg://"))
    tables = ("trade_record", "record_amendment", "import_batch", "chain_link", "reconciliation_run",
              "quarantined_row")

    def counts() -> tuple[int, ...]:
        with engine.connect() as conn:
            return tuple(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables)

    rows_before = counts()
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        for path in ("/", "/records/1", "/runs", "/no/such/page"):
            status, body = _get(base + path, method)
            assert status == 405 and "只接受 GET" in body.decode("utf-8"), (method, path, status)
    assert _get(base + "/", "HEAD") == (200, b"")  # GET without its body (curl -I): a read like GET
    pages = _crawl(base)
    assert len(pages) > 40 and any("/records/" in p for p in pages) and any("format=xlsx" in p for p in pages)
    assert _get(base + "/batches/1/source")[0] == 200  # an original file read back changes nothing either
    assert counts() == rows_before
    engine.dispose()
    if sqlite_file is not None:
        assert hashlib.sha256(sqlite_file.read_bytes()).hexdigest() == before  # byte-identical
        assert not Path(f"{sqlite_file}-journal").exists() and not Path(f"{sqlite_file}-wal").exists()


def test_downloads_are_what_the_list_shows(served: tuple[str, str, Path | None]) -> None:
    base, _, _ = served
    status, body = _get(base + "/runs/1/figures/15/amount?region=%E5%8C%96%E9%9A%86%E5%8E%BF&format=csv")  # 化隆县
    assert status == 200 and body.startswith("\ufeff".encode())
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("记录ID,项目名称,中标(成交)人,所属区县")
    assert len(lines) > 1 and all(",化隆县," in line for line in lines[1:])
    status, body = _get(base + "/runs/1?status=discrepancy&format=xlsx")
    assert status == 200
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"ggzy-web-{os.getpid()}.xlsx"
    path.write_bytes(body)
    try:
        sheet = openpyxl.load_workbook(path).active
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        path.unlink()
    assert len(rows) == 1 + 6 and rows[0][13] == "差额(台账值−公布值)"
    assert all(isinstance(r[12], float | int) for r in rows[1:])  # numbers, not text


def test_the_original_file_and_the_raw_cells_of_a_planted_row(served: tuple[str, str, Path | None],
                                                                haidong: Path, tmp_path: Path) -> None:
    """A batch's page offers its file byte for byte; the planted row's record shows its cells as typed (a number
    cell read as calamine gives it), and a record whose file was not kept says so instead of showing nothing."""
    base, ledger_url, _ = served
    july = haidong / "海东市2022年07月交易明细.xlsx"
    status, body = _get(base + "/batches/1/source")
    assert status == 200 and body == july.read_bytes()
    status, page = _get(base + "/batches/1")
    assert "/batches/1/source" in page.decode() and "已存入台账, 20,273 字节" in page.decode()
    planted = next(r for r in _records(ledger_url) if r["project_code"] == "CG-OVER")
    status, page = _get(f"{base}/records/{planted['id']}")
    text = re.sub(r"<[^>]+>", "|", page.decode())
    assert status == 200
    for cells in ("|项目编号||CG-OVER|", "|项目名称||办公家具采购|", "|成交金额(元)||612345.67|", "|所属区县||乐都区|"):
        assert cells in text, cells
    assert _get(base + "/batches/999/source")[0] == 404


def _records(ledger_url: str) -> list[dict[str, object]]:
    import json

    return json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"]


def test_readonly_engines_refuse_writes(ledger_url: str) -> None:
    from ggzy.ledger.store import make_readonly_engine
    from sqlalchemy.exc import DBAPIError

    engine = make_readonly_engine(ledger_url)
    with pytest.raises(DBAPIError, match=r"read-only|readonly"), engine.begin() as conn:
        conn.execute(text("INSERT INTO period_event (period, action, reason, operator, at) "
                          "VALUES ('2022-07', 'close', 'x', 'x', CURRENT_TIMESTAMP)"))
    engine.dispose()
    if ledger_url.startswith("sqlite"):
        from ggzy.errors import LedgerError

        missing = ledger_url + ".missing"
        with pytest.raises(LedgerError, match=r"no ledger at .*: run `ggzy init` or give --db"):
            make_readonly_engine(missing)
        assert not Path(missing.removeprefix("sqlite:///")).exists()  # never created


def test_serve_is_documented_with_a_screenshot() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "ggzy serve" in readme and "docs/serve-discrepancy.png" in readme
    assert (ROOT / "docs" / "serve-discrepancy.png").stat().st_size > 20_000
    assert shutil.which("chromium") or Path(CHROMIUM).exists()


def test_serve_refuses_a_busy_port_and_a_missing_ledger(empty_url: str) -> None:
    result = run(empty_url, "serve", "--port", str(_free_port()))
    assert result.exit_code == 2 and "no ledger at" in result.stderr
    assert nothing_made(empty_url)
    assert run(empty_url, "init").exit_code == 0
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = run(empty_url, "serve", "--port", str(busy.getsockname()[1]))
    assert result.exit_code == 2 and "cannot listen on 127.0.0.1:" in result.stderr
