"""Fuzzing with hypothesis. The parsers: any input ends in a value, a quarantine reason or a clear error (a
GgzyError / the parser's own ValueError that becomes a reason) — never another exception. The ledger: a state
machine of what a user can type (NothingLost) never loses a source row."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import string
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from ggzy.errors import GgzyError
from ggzy.money import MoneyError, canonical_unit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# text that looks like what cells hold: digits, separators, units, Chinese, full-width forms, and noise
CELL_ALPHABET = (string.digits + ".,-+eE%/ 元万亿分年月日号時时：:()（）约余整零一二三四五六七八九十"
                 "０１２３４５６７８９．，\t\n\x00\u3000")
cells = st.one_of(st.text(alphabet=CELL_ALPHABET, max_size=30), st.text(max_size=30))


@FUZZ
@given(text=cells, unit=st.sampled_from(["元", "万元", "亿元"]))
def test_amounts(text: str, unit: str) -> None:
    from ggzy.values import parse_money

    try:
        fen = parse_money(text, unit)
    except MoneyError as exc:
        assert str(exc)  # a reason for the quarantine
    else:
        assert isinstance(fen, int) and fen >= 0


@FUZZ
@given(text=cells)
def test_dates(text: str) -> None:
    from ggzy.values import parse_date

    try:
        assert isinstance(parse_date(text), dt.date)
    except ValueError as exc:
        assert str(exc)


@FUZZ
@given(text=cells)
def test_counts_and_units(text: str) -> None:
    from ggzy.values import parse_count

    try:
        assert parse_count(text) >= 0
    except ValueError as exc:
        assert str(exc)
    try:
        assert canonical_unit(text) in ("分", "元", "万元", "亿元")
    except MoneyError as exc:
        assert str(exc)


@FUZZ
@given(text=cells)
def test_headers(text: str) -> None:
    from ggzy.imports.normalize import read_header

    read_header(text)  # a header cell is a field, a field with a unit, or unknown: never an exception


@FUZZ
@given(text=st.one_of(st.text(alphabet="0123456789-.QqHh年月季度第一二三四上下半 ", max_size=25), st.text(max_size=25)))
def test_periods_and_titles(text: str) -> None:
    from ggzy.periods import parse_period, title_months

    try:
        period = parse_period(text)
        assert period.months and all(len(m) == 7 for m in period.months)
    except GgzyError as exc:
        assert "2022-09" in str(exc)  # the message shows the accepted forms
    months = title_months(text)
    assert months is None or months[0] <= months[1]


def _load(loader: Callable[[Path], object], text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            loader(path)
        except GgzyError as exc:
            assert str(exc).startswith(str(path)) or str(path) in str(exc) or "expectation" in str(exc)


scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=12),
                    st.sampled_from(["22.91", "9.29%", "3063.40", "8.52+", "亿元", "万元", "政府采购", "工程建设",
                                     "集中采购", "2022Q3", "2022-07", "abs(budget - deal)", "savings / budget"]))
yaml_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(
        ["period", "unit", "region", "figures", "category", "subcategory", "count", "amount", "savings_rate",
         "exclude", "measures", "include", "sum", "ratio", "label", "statuses", "categories", "require",
         "expectations", "type", "kwargs", "severity", "id", "where", "level", "column", "title"]),
        inner, max_size=5)), max_leaves=15)


@FUZZ
@given(document=st.one_of(yaml_values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)), st.text(max_size=200)))
def test_published_figure_files(document: str) -> None:
    from ggzy.rules.engine import load_rules
    from ggzy.rules.published import load_published

    kinds = load_rules().kinds()
    _load(lambda path: load_published(path, kinds), document)


@FUZZ
@given(document=st.one_of(yaml_values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)), st.text(max_size=200)))
def test_rule_files(document: str) -> None:
    from ggzy.rules.engine import load_rules

    _load(load_rules, document)


@FUZZ
@given(document=st.one_of(yaml_values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)), st.text(max_size=200)))
def test_expectation_suite_files(document: str) -> None:
    from ggzy.rules.suites import load_suite

    _load(load_suite, document)


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=CELL_ALPHABET + "公共资源交易政府采购工程建设项目宗个亿元万元节约资金率。，；\n",
                    max_size=300))
def test_bulletin_text(text: str) -> None:
    from ggzy.bulletins.extract import extract

    extract(text, set())  # figures, figures to review, or none: never an exception


def test_an_include_that_is_not_one_file_is_a_clear_error(tmp_path: Path) -> None:
    """Found by the fuzzer: `include:` given a list crashed the rule and suite loaders."""
    from ggzy.rules.engine import load_rules
    from ggzy.rules.suites import load_suite
    from support import assert_error_at

    path = tmp_path / "rules.yaml"
    path.write_text("include:\n  - default.yaml\nmeasures: {}\n", encoding="utf-8")
    assert_error_at(load_rules, path, 1, "include: takes one file name")
    path.write_text("include: [record]\nexpectations: []\n", encoding="utf-8")
    assert_error_at(load_suite, path, 1, "include: takes one file name")


# --- nothing lost: any sequence of what a user can type keeps every source row somewhere (issue 15) -------------

MACHINE_KEYS = [("政府采购", "分散采购", "SM-A", "01"), ("工程建设", "房屋建筑", "SM-B", "01"),
                ("土地使用权", None, "SM-C", None)]
CANONICAL = {"政府采购": "procurement", "工程建设": "construction", "土地使用权": "land"}
# a source row: which key, its deal in 元 (None: written as text, so the row is quarantined), its month
source_rows = st.lists(st.tuples(st.integers(0, 2), st.sampled_from([100, 200, None]), st.sampled_from([7, 8])),
                       min_size=1, max_size=4)


class NothingLost(RuleBasedStateMachine):
    """import / import again / import under another profile / amend / void / close / reopen, in any order. After
    every step each source row ever imported is somewhere: held in quarantine; or the source of a version of the
    record under its key, or equal to one (found unchanged); or kept in quarantine as resolved, with the record its
    key was posted or confirmed as, or held again later. Each record is current or voided with a reason. Every
    import accounts for each of its rows; the chain verifies; the record totals count the records."""

    new_ledger: Callable[[], str]  # set by the test: a fresh, initialised ledger
    folder: Path
    written: dict[Path, list]  # file → (key, content) of each row, in order
    sources: dict[Path, list]  # file → the rows it was written from

    def __init__(self) -> None:
        super().__init__()
        self.url = self.new_ledger()
        self.files: list[Path] = []
        self.rows: dict[tuple[str, int], tuple[tuple[str, str, str], tuple[int, str] | None]] = {}
        self.seen: set[int] = set()
        self.current: list[int] = []
        self.voided: set[int] = set()

    def _import(self, path: Path, *extra: str) -> bool:
        """Import ``path``; False when it was refused as a whole (a closed month), and nothing was written."""
        from support import run

        result = run(self.url, "import", str(path), "--no-check", "--format", "json", *extra)
        assert result.exit_code in (0, 1), result.output
        if not result.stdout.strip():
            assert "closed" in result.stderr, result.stderr
            return False
        (item,) = json.loads(result.stdout)["files"]
        assert item["rows"] == item["posted"] + item["unchanged"] + item["quarantined"] + item["conflicts"], item
        for number, (key, content) in enumerate(self.written[path], start=2):
            self.rows[(path.name, number)] = (key, content)
        return True

    def _other_profile(self) -> str:
        profile = self.folder / "other.yaml"
        profile.write_text("name: other\nunit: 元\n", encoding="utf-8")
        return str(profile)

    def _quarantine(self) -> list[dict]:
        from support import run

        return json.loads(run(self.url, "quarantine", "--all", "--format", "json").stdout)["quarantine"]

    @rule(rows=source_rows)
    def import_a_new_file(self, rows: list[tuple[int, int | None, int]]) -> None:
        self._import(self._write(rows))

    @precondition(lambda self: self.files)
    @rule(data=st.data())
    def import_a_corrected_copy(self, data: st.DataObject) -> None:
        """A centre sends the sheet again with one amount corrected (or, where it was unreadable, made readable)."""
        path = data.draw(st.sampled_from(self.files))
        rows = list(self.sources[path])
        index, deal, month = rows[data.draw(st.integers(0, len(rows) - 1))]
        rows[rows.index((index, deal, month))] = (index, 300 if deal in (None, 100) else 100, month)
        self._import(self._write(rows))

    def _write(self, rows: list[tuple[int, int | None, int]]) -> Path:
        import openpyxl
        from support import HEADER

        path = self.folder / f"f{len(self.written)}.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "明细"
        sheet.append(HEADER)
        book.properties.title = path.name  # other bytes than any earlier file, whatever its rows
        cells, accounted = [], []
        for index, deal, month in rows:
            category, subcategory, code, section = MACHINE_KEYS[index]
            date = f"2022-0{month}-05"
            cells.append([category, subcategory, code, section, "x", "市本级", "成交", None,
                          deal if deal is not None else "约九十", date])
            key = (CANONICAL[category], code, section or "")
            accounted.append((key, (deal * 100, date) if deal is not None else None))
        for row in cells:
            sheet.append(row)
        book.save(path)
        self.written[path] = accounted
        self.sources[path] = rows
        self.files.append(path)
        return path

    @precondition(lambda self: self.files)
    @rule(data=st.data())
    def import_a_file_again(self, data: st.DataObject) -> None:
        self._import(data.draw(st.sampled_from(self.files)))

    @precondition(lambda self: self.files)
    @rule(data=st.data())
    def import_a_file_under_another_profile(self, data: st.DataObject) -> None:
        self._import(data.draw(st.sampled_from(self.files)), "--profile", self._other_profile())

    @precondition(lambda self: self.current)
    @rule(data=st.data())
    def void_the_record_a_conflict_names_and_import_its_file_again(self, data: st.DataObject) -> None:
        """The issue's path as a user takes it: a conflict says "void it and import this row again"; they do."""
        from support import run

        named = [e for e in self._quarantine() if e["resolved_how"] is None and e["kind"] == "conflict"
                 and e["existing_record_id"] in self.current]
        if not named:
            return
        entry = data.draw(st.sampled_from(named))
        result = run(self.url, "void", str(entry["existing_record_id"]), "--reason", "按更正表重新导入")
        assert result.exit_code in (0, 1), result.output
        if result.exit_code == 0:
            self.voided.add(entry["existing_record_id"])
            self._bring_back(entry)

    @precondition(lambda self: self.voided)
    @rule(data=st.data())
    def import_again_the_file_of_a_conflict_whose_record_was_voided(self, data: st.DataObject) -> None:
        """The same, when the void came first and the user imports the file later."""
        stuck = [e for e in self._quarantine() if e["resolved_how"] is None and e["kind"] == "conflict"
                 and e["existing_record_id"] in self.voided]
        if stuck:
            self._bring_back(data.draw(st.sampled_from(stuck)))

    def _bring_back(self, entry: dict) -> None:
        """Import the held row's file again (under either profile, whichever held it): it must come in."""
        path = self.folder / entry["source_file"]
        if not (self._import(path) and self._import(path, "--profile", self._other_profile())):
            return  # its month is closed: reopening it is the user's next step
        after = {e["id"]: e for e in self._quarantine()}[entry["id"]]
        assert after["resolved_how"] is not None, f"{entry} stays held although its record was voided"

    @precondition(lambda self: self.current)
    @rule(data=st.data(), deal=st.sampled_from([100, 200, 300]))
    def amend(self, data: st.DataObject, deal: int) -> None:
        from support import run

        record_id = data.draw(st.sampled_from(self.current))
        result = run(self.url, "amend", str(record_id), "--set", f"deal={deal}", "--reason", "更正")
        assert result.exit_code in (0, 1, 2), result.output  # 1: a closed month; 2: it already has that deal

    @precondition(lambda self: self.current)
    @rule(data=st.data())
    def void(self, data: st.DataObject) -> None:
        from support import run

        result = run(self.url, "void", str(data.draw(st.sampled_from(self.current))), "--reason", "作废")
        assert result.exit_code in (0, 1), result.output

    @rule(month=st.sampled_from(["2022-07", "2022-08"]))
    def close(self, month: str) -> None:
        from support import run

        assert run(self.url, "close", month).exit_code == 0

    @rule(month=st.sampled_from(["2022-07", "2022-08"]))
    def reopen(self, month: str) -> None:
        from support import run

        assert run(self.url, "reopen", month, "--reason", "补录").exit_code == 0

    @invariant()
    def every_source_row_is_somewhere(self) -> None:
        from support import run

        current = {r["id"]: r for r in json.loads(run(self.url, "records", "--format", "json").stdout)["records"]}
        self.current = sorted(current)
        self.seen |= set(current)
        self.voided = self.seen - set(current)
        histories = {i: json.loads(run(self.url, "history", str(i), "--format", "json").stdout)["versions"]
                     for i in sorted(self.seen)}
        by_key = {}
        for record_id, versions in histories.items():
            values = versions[0]["values"]
            by_key[(values["category"], values["project_code"], values["section_code"])] = versions
            if record_id not in current:  # out of the ledger only by a void, kept with its reason
                assert versions[-1]["kind"] == "void" and versions[-1]["reason"].strip(), versions
        held: dict[tuple[str, int], list[dict]] = {}
        for entry in self._quarantine():
            held.setdefault((entry["source_file"], entry["source_row"]), []).append(entry)
        for (file, row), (key, content) in self.rows.items():
            entries = held.get((file, row), [])
            if any(e["resolved_how"] is None for e in entries):
                continue  # quarantined, with its reasons
            versions = by_key.get(key, [])
            sources = {v["source"] for v in versions}
            contents = {(v["values"]["deal_fen"], v["values"]["trade_date"]) for v in versions}
            if f"{file}:明细:{row}" in sources or content in contents:
                continue  # a version of the record under its key came from it, or is what it says
            # else it is kept in quarantine, resolved: its key was posted or confirmed later (the record is there),
            # or the same row was held again by a later import
            assert any((e["resolved_how"] in ("posted", "unchanged") and versions)
                       or (e["resolved_how"] == "superseded" and any(o["id"] > e["id"] for o in entries))
                       for e in entries), f"{file} row {row} ({content}) is nowhere: {entries} {versions}"
        verified = run(self.url, "verify", "--format", "json")
        assert verified.exit_code == 0, verified.stdout
        rates = json.loads(run(self.url, "rates", "--by", "", "--format", "json").stdout)["rows"]
        assert (rates[0]["count"] if rates else 0) == len(current)


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_no_sequence_of_commands_loses_a_source_row(database: str, request: pytest.FixtureRequest,
                                                     tmp_path: Path) -> None:
    from support import run

    def new_ledger() -> str:
        url = (f"sqlite:///{tmp_path / f'ledger-{next(numbers)}.db'}" if database == "sqlite"
               else _new_pg_database(request))
        assert run(url, "init").exit_code == 0
        return url

    numbers = itertools.count()
    machine = type("NothingLostHere", (NothingLost,), {"new_ledger": staticmethod(new_ledger), "folder": tmp_path,
                                                       "written": {}, "sources": {}})
    examples = 40 if database == "sqlite" else 20  # PostgreSQL: a new database per example, slower
    run_state_machine_as_test(machine, settings=settings(max_examples=examples, stateful_step_count=15,
                                                         deadline=None, suppress_health_check=list(HealthCheck)))


def _new_pg_database(request: pytest.FixtureRequest) -> str:
    from sqlalchemy import create_engine, text

    admin_url = request.getfixturevalue("pg_admin_url")
    name = f"ggzy_machine_{os.getpid()}_{next(_pg_numbers)}"
    admin = create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


_pg_numbers = itertools.count()
