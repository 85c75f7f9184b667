"""Expectation suites: YAML files naming Great Expectations (1.x) expectation types and their arguments.

A suite has a level: ``record`` suites run over records (at import, on each batch before posting, and by
``ggzy check`` over the ledger); ``ledger`` suites run over the ledger summed by file, category and month
(``rules/check_frames.py`` builds both frames). The reconciliation suite is made from a published-figures
file, one expectation per published value. Great Expectations itself is used in ``rules/validation.py``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ggzy.errors import InputError
from ggzy.yamlfile import LineDict, find_user_file, load_with_includes

SEVERITIES = ("error", "warning")
LEVELS = ("record", "ledger")
SUITE_KEYS = {"id", "label", "severity", "type", "kwargs", "where"}
FILE_KEYS = {"suite", "level", "include", "expectations"}
#: what a finding shows of an offending record: enough to find it in the ledger and in its source file
SOURCE_COLUMNS = ("id", "category", "project_code", "section_code", "source_file", "source_sheet", "source_row")


@dataclass
class ExpectationSpec:
    id: str
    label: str
    severity: str
    type: str
    kwargs: dict[str, Any]
    where: str | None = None
    source: str = ""  # file:line it was written on


@dataclass
class Suite:
    """The expectations of one level, in file order (an included file's first)."""

    name: str
    level: str
    specs: list[ExpectationSpec] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    shown: tuple[str, ...] | None = SOURCE_COLUMNS  # columns a finding lists per row; None: every column


@dataclass
class Finding:
    """One expectation's outcome over a frame (records, ledger summary rows or published figures)."""

    expectation: str
    label: str
    severity: str
    type: str
    success: bool
    element_count: int
    unexpected_count: int
    records: list[dict[str, Any]] = field(default_factory=list)  # the offending rows
    level: str = "record"
    shown: tuple[str, ...] | None = SOURCE_COLUMNS
    kwargs: dict[str, Any] = field(default_factory=dict)  # the expectation's arguments: which columns it read

    def rows(self) -> list[dict[str, Any]]:
        """The offending rows as a finding shows them."""
        if self.shown is None:
            return [dict(r) for r in self.records]
        return [{k: r.get(k) for k in self.shown if k in r} for r in self.records]

    def as_json(self) -> dict[str, Any]:
        return {"expectation": self.expectation, "label": self.label, "level": self.level,
                "severity": self.severity, "type": self.type, "success": self.success,
                "element_count": self.element_count, "unexpected_count": self.unexpected_count,
                "records": [{k: _json_value(v) for k, v in r.items()} for r in self.rows()]}


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return round(value, 6)  # a rate of one record: plenty of digits to judge it
    return str(value)  # dates


def shipped_suite_path(name: str) -> Path:
    return Path(str(resources.files("ggzy").joinpath(f"rules/expectations/{name}.yaml")))


SHIPPED_SUITES = shipped_suite_path("record").parent


def load_suite(path: str | Path | None = None, *, level: str = "record") -> Suite:
    """Load a suite file (default: the shipped suite of ``level``), its ``include:`` first.

    Every mistake is an InputError naming file:line and what to write instead.
    """
    found = find_user_file(path if path is not None else level, SHIPPED_SUITES, "expectation suite")
    files = load_with_includes(found, "expectation suite", SHIPPED_SUITES, typed=True)
    levels: list[str] = []
    for position, (file, data) in enumerate(reversed(files)):  # outermost first: a level is inherited inwards
        if not isinstance(data.get("expectations"), list):
            raise InputError(f"{file}:1: an expectation suite is a mapping with `expectations:` (a list); "
                             "see the shipped rules/expectations/record.yaml")
        if unknown := sorted(set(data) - FILE_KEYS):
            raise InputError(f"{file}:{data.key_lines[unknown[0]]}: unknown key {unknown[0]!r}; a suite file has "
                             f"{', '.join(sorted(FILE_KEYS))}")
        file_level = str(data.get("level") or (levels[-1] if levels else level))
        if file_level not in LEVELS:
            raise InputError(f"{file}:{data.key_lines['level']}: level must be record or ledger, not {file_level!r}")
        if levels and file_level != levels[-1]:
            includer, included_by = files[len(files) - position]
            raise InputError(f"{includer}:{included_by.key_lines['include']}: includes a {file_level} suite into a "
                             f"{levels[-1]} suite; include a suite of the same level")
        levels.append(file_level)
    outer_path, outer = files[-1]
    suite = Suite(str(outer.get("suite") or outer_path.stem), levels[0],
                  shown=SOURCE_COLUMNS if levels[0] == "record" else None)  # a summary row shows all of it
    for file, data in files:
        for entry in data["expectations"]:
            suite.specs.append(_spec(entry, file, suite.specs))
        suite.sources.append(str(file))
    return suite


def _spec(entry: Any, path: Path, earlier: list[ExpectationSpec]) -> ExpectationSpec:
    line = getattr(entry, "line", 0) or 1
    where = f"{path}:{line}"
    if not isinstance(entry, LineDict) or "type" not in entry:  # the suite loader makes every mapping a LineDict
        raise InputError(f"{where}: an expectation needs type: (a Great Expectations expectation type, "
                         "e.g. expect_column_values_to_not_be_null)")
    if unknown := sorted(set(entry) - SUITE_KEYS):
        raise InputError(f"{path}:{entry.key_lines[unknown[0]]}: unknown key {unknown[0]!r}; an expectation has "
                         f"{', '.join(sorted(SUITE_KEYS))}")
    severity = entry.get("severity", "error")
    if severity not in SEVERITIES:
        raise InputError(f"{path}:{entry.key_lines['severity']}: severity must be error or warning, "
                         f"not {severity!r}")
    kwargs = entry.get("kwargs") or {}
    if not isinstance(kwargs, dict):
        raise InputError(f"{path}:{entry.key_lines['kwargs']}: kwargs: must be a mapping of argument names, "
                         "e.g. {column: deal_fen, min_value: 0}")
    if entry.get("where") is not None:
        _check_where(entry["where"], f"{path}:{entry.key_lines['where']}")
    spec_id = str(entry.get("id") or entry["type"])
    if any(s.id == spec_id for s in earlier):
        raise InputError(f"{where}: id {spec_id!r} is already used (here or in an included suite); "
                         "give this expectation its own id:")
    spec = ExpectationSpec(spec_id, str(entry.get("label") or entry["type"]), severity, str(entry["type"]),
                           _plain(kwargs), entry.get("where"), where)
    for other in earlier:  # Great Expectations keeps one of two equal expectations: the other would go unreported
        if same_expectation(other, spec):
            raise InputError(f"{where}: expectation {spec_id} repeats {other.id} ({other.source}): same type, "
                             "arguments and where:; remove one")
    return spec


# arguments whose value here is Great Expectations' default: GX holds `strict_min: false` and no strict_min as one
# expectation (measured: it keeps one of the two), so they are compared without them
GX_DEFAULTS: dict[str, Any] = {"strict_min": False, "strict_max": False, "mostly": 1, "or_equal": None,
                               "min_value": None, "max_value": None}


def same_expectation(a: ExpectationSpec, b: ExpectationSpec) -> bool:
    """Whether Great Expectations holds two expectations as one: same type, where: and arguments, an argument
    given at its default value counting as not given."""
    def plain(kwargs: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in kwargs.items()
                if k not in GX_DEFAULTS or (v is not None if GX_DEFAULTS[k] is None else v != GX_DEFAULTS[k])}

    return (a.type, a.where, plain(a.kwargs)) == (b.type, b.where, plain(b.kwargs))


_WHERE_NODES = (ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.Compare, ast.Eq, ast.NotEq,
                ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Name, ast.Load, ast.Constant, ast.List,
                ast.Tuple, ast.USub)


def _check_where(text: Any, where: str) -> None:
    """``where:`` is handed to pandas, which evaluates Python-like expressions: only comparisons of column
    names with literals, joined by and/or/not, are let through (no calls, attributes, subscripts, `@`)."""
    if not isinstance(text, str):
        raise InputError(f"{where}: where: is a condition in quotes, e.g. where: status == \"deal\"")
    try:
        tree = ast.parse(text.replace("\n", " "), mode="eval")
    except SyntaxError:
        tree = None
    if tree is None or "@" in text or any(not isinstance(node, _WHERE_NODES) for node in ast.walk(tree)):
        raise InputError(f"{where}: where: may only compare columns with values (==, !=, <, >, in, not in) "
                         "joined by and / or / not, e.g. category in [\"land\", \"mining\"] and status == \"deal\"")


def _plain(value: Any) -> Any:
    """Plain dicts and lists (the loader's line-keeping kinds are not for Great Expectations)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
