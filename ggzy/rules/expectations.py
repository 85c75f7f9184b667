"""Expectation suites (YAML files naming Great Expectations 1.x expectations) run over records.

Great Expectations is slow to import, so it is imported only when a suite runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from ggzy.errors import InputError

SEVERITIES = ("error", "warning")
SUITE_KEYS = {"id", "label", "severity", "type", "kwargs", "where"}


@dataclass
class ExpectationSpec:
    id: str
    label: str
    severity: str
    type: str
    kwargs: dict[str, Any]
    where: str | None = None


@dataclass
class Finding:
    """One expectation's outcome over a set of records."""

    expectation: str
    label: str
    severity: str
    type: str
    success: bool
    element_count: int
    unexpected_count: int
    records: list[dict[str, Any]] = field(default_factory=list)  # the offending rows, with their source

    def as_json(self) -> dict[str, Any]:
        return {"expectation": self.expectation, "label": self.label, "severity": self.severity,
                "type": self.type, "success": self.success, "element_count": self.element_count,
                "unexpected_count": self.unexpected_count,
                "records": [{k: v for k, v in r.items() if k in SOURCE_COLUMNS} for r in self.records]}


SOURCE_COLUMNS = ("id", "category", "project_code", "section_code", "source_file", "source_sheet", "source_row")


def _class_name(type_name: str) -> str:
    return "".join(part.capitalize() for part in type_name.split("_"))


def load_suite(path: str | Path | None = None) -> list[ExpectationSpec]:
    """Load a suite file (default: the shipped record-level suite)."""
    if path is None:
        path = Path(str(resources.files("ggzy").joinpath("rules/expectations/record.yaml")))
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: expectation suite cannot be read ({exc}); fix the file") from None
    specs = []
    for number, entry in enumerate((data or {}).get("expectations") or [], start=1):
        where = f"{path}: expectation {number}"
        if not isinstance(entry, dict) or "type" not in entry:
            raise InputError(f"{where}: needs type: (a Great Expectations expectation type)")
        if unknown := set(entry) - SUITE_KEYS:
            raise InputError(f"{where}: unknown key {sorted(unknown)[0]!r}; known: {', '.join(sorted(SUITE_KEYS))}")
        severity = entry.get("severity", "error")
        if severity not in SEVERITIES:
            raise InputError(f"{where}: severity must be error or warning, not {severity!r}")
        if any(s.id == str(entry.get("id") or entry["type"]) for s in specs):
            raise InputError(f"{where}: id {entry.get('id') or entry['type']!r} is used twice; give each an own id:")
        specs.append(ExpectationSpec(str(entry.get("id") or entry["type"]), str(entry.get("label") or entry["type"]),
                                     severity, entry["type"], dict(entry.get("kwargs") or {}), entry.get("where")))
    return specs


_CONTEXT: Any = None


def _batch_definition() -> Any:
    global _CONTEXT
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    if _CONTEXT is None:
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)  # quiet: our own output only
        asset = context.data_sources.add_pandas("ledger").add_dataframe_asset("records")
        _CONTEXT = asset.add_batch_definition_whole_dataframe("all")
    return _CONTEXT


def build_suite(specs: list[ExpectationSpec]) -> Any:
    """The Great Expectations suite for ``specs``; raises InputError naming a bad type or argument.

    Importing Great Expectations takes seconds: callers that can overlap it with other work call this
    early (``ggzy import`` does, in a worker thread, while the workbooks are read).
    """
    import great_expectations as gx
    import great_expectations.expectations as gxe

    _batch_definition()
    suite = gx.ExpectationSuite(name="record")
    for spec in specs:
        cls = getattr(gxe, _class_name(spec.type), None)
        if cls is None:
            raise InputError(f"expectation {spec.id}: unknown Great Expectations type {spec.type!r}")
        kwargs = dict(spec.kwargs)
        if spec.where:
            kwargs |= {"row_condition": spec.where, "condition_parser": "pandas"}
        try:
            suite.add_expectation(cls(**kwargs, meta={"ggzy_id": spec.id}))
        except Exception as exc:  # pydantic validation of user-written arguments
            message = re.sub(r"\s+", " ", str(exc))[:200]
            raise InputError(f"expectation {spec.id}: bad arguments for {spec.type} ({message})") from None
    return suite


def _pandas(records: pl.DataFrame) -> Any:
    """A pandas frame for GX: integer money as nullable Int64 (never float), text as pandas strings."""
    import pandas as pd
    import pyarrow as pa

    return records.to_arrow().to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)


_SUITES: dict[str, Any] = {}


def prepare_suite(specs: list[ExpectationSpec]) -> bool:
    """Build (and keep) the suite for ``specs`` in this process: imports Great Expectations."""
    key = repr(specs)
    if key not in _SUITES:
        _SUITES[key] = build_suite(specs)
    return True


def columns_used(specs: list[ExpectationSpec], columns: list[str]) -> list[str]:
    """The columns the expectations read (arguments and where: conditions), in frame order."""
    words: set[str] = set()
    for spec in specs:
        for value in spec.kwargs.values():
            words.update(v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str))
        words.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", spec.where or ""))
    return [c for c in columns if c in words]


def run_suite(records: pl.DataFrame, specs: list[ExpectationSpec], suite: Any = None) -> list[Finding]:
    """Validate ``records`` (a polars frame of ledger rows) with every expectation of the suite, in one
    Great Expectations validation (the metrics of all expectations are computed together).

    Only the columns the suite reads go to pandas; offending rows are taken from ``records`` itself.
    """
    if records.height == 0 or not specs:
        return []
    if suite is None:
        prepare_suite(specs)
        suite = _SUITES[repr(specs)]
    used = columns_used(specs, records.columns) or records.columns[:1]
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": _pandas(records.select(used))})
    outcome = batch.validate(suite, result_format="COMPLETE")
    by_id = {r.expectation_config.meta.get("ggzy_id"): r for r in outcome.results}
    findings = []
    for spec in specs:
        result = by_id[spec.id]
        if result.exception_info and result.exception_info.get("raised_exception"):
            raise InputError(f"expectation {spec.id} could not run: "
                             f"{result.exception_info.get('exception_message')}; check its column names and where:")
        indexes = result.result.get("unexpected_index_list") or []
        offending = records[sorted(int(i) for i in indexes)].to_dicts() if indexes else []
        findings.append(Finding(spec.id, spec.label, spec.severity, spec.type, bool(result.success),
                                int(result.result.get("element_count") or records.height),
                                int(result.result.get("unexpected_count") or len(offending)), offending))
    return findings
