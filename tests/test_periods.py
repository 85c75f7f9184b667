"""The period forms people type (DESIGN.md "Command line"), accepted by periods.py and so by every option and file
that takes a period: --period, close/reopen, a published-figures file (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ggzy.errors import UsageError
from ggzy.periods import parse_period
from support import GOOD, run, workbook

JULY_TO_SEPTEMBER = ("2022-07", "2022-08", "2022-09")


@pytest.mark.parametrize(("text", "months"), [
    ("2022-9", ("2022-09",)), ("2022-09", ("2022-09",)), ("2022.09", ("2022-09",)), ("2022.9", ("2022-09",)),
    ("2022/9", ("2022-09",)), ("202209", ("2022-09",)), ("2022年9月", ("2022-09",)), ("2022年09月份", ("2022-09",)),
    ("2022 年 9 月", ("2022-09",)), ("２０２２年９月", ("2022-09",)), ("2022.10", ("2022-10",)),
    ("2022年三季度", JULY_TO_SEPTEMBER), ("2022年第三季度", JULY_TO_SEPTEMBER), ("2022年第3季度", JULY_TO_SEPTEMBER),
    ("2022q3", JULY_TO_SEPTEMBER), ("2022年7-9月", JULY_TO_SEPTEMBER), ("2022年7月-9月", JULY_TO_SEPTEMBER),
    ("2022年7至9月", JULY_TO_SEPTEMBER), ("2022年7月至2022年9月", JULY_TO_SEPTEMBER),
    ("2022年7月..2022年9月", JULY_TO_SEPTEMBER), ("2022.07..2022.09", JULY_TO_SEPTEMBER),
    ("2022年1-9月", tuple(f"2022-{m:02d}" for m in range(1, 10))),
    ("2022年上半年", tuple(f"2022-{m:02d}" for m in range(1, 7))),
    ("2022年下半年", tuple(f"2022-{m:02d}" for m in range(7, 13))),
    ("2022年度", tuple(f"2022-{m:02d}" for m in range(1, 13))),
    ("2022年", tuple(f"2022-{m:02d}" for m in range(1, 13))),
])
def test_the_forms_people_type(text: str, months: tuple[str, ...]) -> None:
    period = parse_period(text)
    assert period.months == months and period.text == text.strip()


@pytest.mark.parametrize("text", ["2022年13月", "202213", "2022.13", "2022年五季度", "2022年9-7月", "20229",
                                  "2022年9月3日", "九月", "2022-07..", "2022年7月至"])
def test_what_is_not_a_period_says_which_forms_are(text: str) -> None:
    with pytest.raises(UsageError, match=r"2022年9月, 2022\.09, 202209, 2022年三季度, 2022年1-9月|ends before"):
        parse_period(text)


def test_every_place_a_period_is_typed_takes_them(ledger_url: str, tmp_path: Path) -> None:
    assert run(ledger_url, "import", str(workbook(tmp_path / "july.xlsx", GOOD))).exit_code == 0
    for text in ("2022年7月", "202207", "2022.07", "2022年三季度", "2022年1-9月"):
        listed = json.loads(run(ledger_url, "records", "--period", text, "--format", "json").stdout)["records"]
        assert len(listed) == 3, text
        rates = json.loads(run(ledger_url, "rates", "--period", text, "--by", "", "--format", "json").stdout)
        assert rates["rows"][0]["count"] == 3, text
    assert run(ledger_url, "records", "--period", "2022年8月", "--format", "json").stdout.count('"id"') == 0
    closed = run(ledger_url, "close", "2022年三季度")
    assert closed.exit_code == 0 and closed.stdout.startswith("已结账: 2022-07, 2022-08, 2022-09")
    reopened = run(ledger_url, "reopen", "2022年7月", "--reason", "补录")
    assert reopened.exit_code == 0 and reopened.stdout.strip() == "已重新打开: 2022-07"
    published = tmp_path / "published.yaml"
    published.write_text("period: 2022年7月\nfigures:\n  - {count: 3}\n  - {period: 2022年1-7月, count: 3}\n",
                         encoding="utf-8")
    result = run(ledger_url, "reconcile", str(published), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"] == {"ok": 2, "discrepancy": 0, "inconsistent": 0}
    bad = run(ledger_url, "records", "--period", "2022年13月")
    assert bad.exit_code == 2 and "2022年三季度" in bad.stderr
