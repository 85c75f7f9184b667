"""The HTML report, loaded in a real headless Chromium: it renders offline, shows the discrepancy and the
charts, and markup from records stays text."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from support import run, workbook

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HOSTILE = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>"


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Chromium is needed for the HTML report test: apt-get install chromium (.ci/run does)")
    return path


def browse(page: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args,
                           page.as_uri()], capture_output=True, text=True, timeout=120, check=True)


def png_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and the decompressed scanlines of a PNG (enough to tell a blank page from a drawn one)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    idat, offset = b"", 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        kind = data[offset + 4:offset + 8]
        if kind == b"IDAT":
            idat += data[offset + 8:offset + 8 + length]
        offset += 12 + length
    return width, height, zlib.decompress(idat)


@pytest.fixture
def report_page(ledger_url: str, tmp_path: Path, haidong: Path) -> Path:
    url = ledger_url
    run(url, "import", *map(str, sorted(haidong.glob("*.xlsx"))))
    hostile = [["政府采购", "分散采购", "CG-EVIL", "01", HOSTILE, "市本级", "成交", 100, HOSTILE, "2022-09-02"]]
    run(url, "import", str(workbook(tmp_path / "evil.xlsx", hostile)))
    published = haidong / "published.yaml"
    text = published.read_text(encoding="utf-8")
    published.write_text(text.replace("count: 217", "count: 218", 1), encoding="utf-8")  # a planted difference
    page = tmp_path / "report.html"
    result = run(url, "reconcile", str(published), "--html", str(page))
    assert result.exit_code == 1 and page.exists()
    return page


def test_html_report_is_self_contained_and_escaped(report_page: Path) -> None:
    text = report_page.read_text(encoding="utf-8")
    assert "<script" not in text and "<img" not in text and "&lt;script&gt;" in text
    # nothing to fetch: no external style sheets, scripts, images or fonts (the SVG namespace is not a fetch)
    assert "src=" not in text.replace("src=x", "") and "href" not in text and "url(" not in text
    assert text.count("<svg") == 2 and "对账差异" in text and "218" in text


def test_html_report_renders_in_headless_chromium(report_page: Path, tmp_path: Path) -> None:
    dom = browse(report_page, tmp_path, "--dump-dom").stdout
    assert "公共资源交易台账异常报告" in dom and "218" in dom
    assert "pwned" not in dom.split("<body")[0]  # the record's script never ran: the title is unchanged
    assert "<script" not in dom and "<img" not in dom  # the record's markup stayed text
    assert dom.count("<rect") > 10  # the charts' bars were laid out
    shot = tmp_path / "report.png"
    browse(report_page, tmp_path, "--window-size=1000,2000", f"--screenshot={shot}")
    width, height, pixels = png_pixels(shot)
    assert (width, height) == (1000, 2000)
    assert len(set(pixels[::97])) > 20  # drawn: many colours, not a blank page
