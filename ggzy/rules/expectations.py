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
                "records": [{k: v for k, v in r.items() if k in _SOURCE_COLUMNS} for r in self.records]}


_SOURCE_COLUMNS = ("id", "category", "project_code", "section_code", "source_file", "source_sheet", "source_row")


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


def run_suite(records: pl.DataFrame, specs: list[ExpectationSpec]) -> list[Finding]:
    """Validate ``records`` (a polars frame of ledger rows) with every expectation of the suite."""
    import great_expectations.expectations as gxe

    if records.height == 0:
        return []
    frame = records.to_pandas(use_pyarrow_extension_array=True)  # nullable int64, no float money
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
    findings = []
    for spec in specs:
        cls = getattr(gxe, _class_name(spec.type), None)
        if cls is None:
            raise InputError(f"expectation {spec.id}: unknown Great Expectations type {spec.type!r}")
        kwargs = dict(spec.kwargs)
        if spec.where:
            kwargs |= {"row_condition": spec.where, "condition_parser": "pandas"}
        try:
            expectation = cls(**kwargs)
        except Exception as exc:  # pydantic validation of user-written arguments
            message = re.sub(r"\s+", " ", str(exc))[:200]
            raise InputError(f"expectation {spec.id}: bad arguments for {spec.type} ({message})") from None
        result = batch.validate(expectation, result_format="COMPLETE")
        if result.exception_info and result.exception_info.get("raised_exception"):
            raise InputError(f"expectation {spec.id} could not run: "
                             f"{result.exception_info.get('exception_message')}; check its column names and where:")
        indexes = result.result.get("unexpected_index_list") or []
        offending = records[sorted(int(i) for i in indexes)].to_dicts() if indexes else []
        findings.append(Finding(spec.id, spec.label, spec.severity, spec.type, bool(result.success),
                                int(result.result.get("element_count") or records.height),
                                int(result.result.get("unexpected_count") or len(offending)), offending))
    return findings
