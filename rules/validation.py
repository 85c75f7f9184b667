"""Running expectation suites with Great Expectations (1.x), and building its Data Docs.

Great Expectations is slow to import (seconds), so it is imported inside the functions that run it; ``ggzy
import`` screens each file's records first (rules/screening.py) and runs GX only when something fails. A frame is
validated by one run of the whole suite (the metrics of all expectations are computed together); only the
columns the suite reads go to pandas, money as nullable Int64, never float.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import polars as pl
from ggzy.errors import InputError
from ggzy.rules.suites import ExpectationSpec, Finding, Suite

_LOCK = threading.Lock()
_BATCHES: dict[str, Any] = {}  # quiet ephemeral context's batch definition, one per process
_SUITES: dict[str, Any] = {}


def _class_name(type_name: str) -> str:
    return "".join(part.capitalize() for part in type_name.split("_"))


def _context(docs: Path | None = None) -> Any:
    import logging

    import great_expectations as gx

    logging.getLogger("great_expectations").setLevel(logging.WARNING)  # its INFO lines are not for accountants
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)  # quiet: our own output only
    if docs is not None:
        context.add_data_docs_site(site_name="ggzy", site_config={
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs.resolve())},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"}})
    return context


def _batch_definition() -> Any:
    with _LOCK:
        if "batch" not in _BATCHES:
            asset = _context().data_sources.add_pandas("ledger").add_dataframe_asset("frame")
            _BATCHES["batch"] = asset.add_batch_definition_whole_dataframe("all")
        return _BATCHES["batch"]


def _expectation(spec: ExpectationSpec) -> Any:
    import great_expectations.expectations as gxe

    cls = getattr(gxe, _class_name(spec.type), None)
    if cls is None or not spec.type.startswith("expect_"):
        raise InputError(f"{spec.source}: unknown Great Expectations type {spec.type!r}; see the expectation "
                         "gallery for the names (e.g. expect_column_values_to_be_between)")
    kwargs = dict(spec.kwargs)
    if spec.where:
        kwargs |= {"row_condition": spec.where, "condition_parser": "pandas"}
    try:
        return cls(**kwargs, meta={"ggzy_id": spec.id})
    except Exception as exc:  # pydantic validation of user-written arguments
        message = re.sub(r"\s+", " ", str(exc))[:200]
        raise InputError(f"{spec.source}: bad arguments for {spec.type} ({message}); fix kwargs:") from None


def build_suite(suite: Suite) -> Any:
    """The Great Expectations suite; raises InputError (file:line) naming a bad type or argument."""
    import great_expectations as gx

    gx_suite = gx.ExpectationSuite(name=suite.name)
    for spec in suite.specs:
        gx_suite.add_expectation(_expectation(spec))
    return gx_suite


def prepare_suite(suite: Suite) -> Any:
    """Build (and keep, per process) the suite: imports Great Expectations. Safe from a worker thread."""
    _batch_definition()
    key = repr(suite)
    with _LOCK:
        if key not in _SUITES:
            _SUITES[key] = build_suite(suite)
        return _SUITES[key]


def columns_used(suite: Suite, columns: list[str]) -> list[str]:
    """The columns the expectations read (arguments and where: conditions), in frame order."""
    words: set[str] = set()
    for spec in suite.specs:
        for value in spec.kwargs.values():
            words.update(v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str))
        words.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", spec.where or ""))
    return [c for c in columns if c in words]


COLUMN_ARGUMENTS = ("column", "column_A", "column_B", "column_list")


def check_columns(suite: Suite, columns: list[str]) -> None:
    """Every column an expectation names exists in the frame of its level; else InputError (file:line)."""
    for spec in suite.specs:
        for argument in COLUMN_ARGUMENTS:
            value = spec.kwargs.get(argument)
            for name in value if isinstance(value, list) else [value]:
                if isinstance(name, str) and name not in columns:
                    raise InputError(f"{spec.source}: expectation {spec.id} names column {name!r}, which a "
                                     f"{suite.level}-level suite does not have; columns: {', '.join(columns)}")


def _pandas(frame: pl.DataFrame) -> Any:
    """A pandas frame for GX: integers as nullable Int64 (never float), text as pandas strings."""
    import pandas as pd
    import pyarrow as pa

    return frame.to_arrow().to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)


def _gx_frame(suite: Suite, frame: pl.DataFrame) -> Any:
    """Only the columns the suite reads, as pandas."""
    return _pandas(frame.select(columns_used(suite, frame.columns) or frame.columns[:1]))


def _findings(suite: Suite, frame: pl.DataFrame, results: list[Any]) -> list[Finding]:
    by_id = {r.expectation_config.meta.get("ggzy_id"): r for r in results}
    findings = []
    for spec in suite.specs:
        result = by_id[spec.id]
        if result.exception_info and result.exception_info.get("raised_exception"):
            raise InputError(f"{spec.source}: expectation {spec.id} could not run "
                             f"({result.exception_info.get('exception_message')}); check its column names and "
                             "where:")
        indexes = result.result.get("unexpected_index_list") or []
        offending = frame[sorted(int(i) for i in indexes)].to_dicts() if indexes else []
        findings.append(Finding(spec.id, spec.label, spec.severity, spec.type, bool(result.success),
                                int(result.result.get("element_count") or frame.height),
                                int(result.result.get("unexpected_count") or len(offending)), offending,
                                suite.level, suite.shown, spec.kwargs))
    return findings


def gx_results(frame: pl.DataFrame, suite: Suite) -> list[Any]:
    """Great Expectations' own validation results of ``suite`` over ``frame``, in one run."""
    gx_suite = prepare_suite(suite)
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": _gx_frame(suite, frame)})
    return list(batch.validate(gx_suite, result_format="COMPLETE").results)


def run_suite(frame: pl.DataFrame, suite: Suite) -> list[Finding]:
    """Validate ``frame`` with every expectation of ``suite`` in one Great Expectations run.

    Offending rows are taken from ``frame`` itself (all its columns), by the index GX reports.
    """
    if frame.height == 0 or not suite.specs:
        return []
    check_columns(suite, frame.columns)
    return _findings(suite, frame, gx_results(frame, suite))


def gx_failures(frame: pl.DataFrame, suite: Suite) -> list[Finding]:
    """The expectations of ``suite`` that ``frame`` fails, as one Great Expectations run reports them."""
    return [finding for finding in run_suite(frame, suite) if not finding.success]


def run_with_docs(runs: list[tuple[Suite, pl.DataFrame]], docs: Path) -> tuple[list[Finding], Path]:
    """Validate each (suite, frame) through a checkpoint that writes Great Expectations Data Docs (static
    HTML) into ``docs``; returns the findings and the site's index.html."""
    import great_expectations as gx

    try:
        docs.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"--docs {docs}: cannot create the folder ({exc.strerror}); choose a writable folder") \
            from None
    for suite, frame in runs:
        check_columns(suite, frame.columns)
    context = _context(docs)
    findings: list[Finding] = []
    for suite, frame in runs:
        if frame.height == 0 or not suite.specs:
            continue
        asset = context.data_sources.add_pandas(f"ggzy-{suite.name}").add_dataframe_asset(suite.level)
        definition = context.validation_definitions.add(gx.ValidationDefinition(
            name=f"{suite.name}-{suite.level}", data=asset.add_batch_definition_whole_dataframe("ledger"),
            suite=context.suites.add(build_suite(suite))))
        checkpoint = context.checkpoints.add(gx.Checkpoint(
            name=f"ggzy-check-{suite.name}", validation_definitions=[definition], result_format="COMPLETE",
            actions=[gx.checkpoint.UpdateDataDocsAction(name="data-docs", site_names=["ggzy"])]))
        outcome = checkpoint.run(batch_parameters={"dataframe": _gx_frame(suite, frame)})
        (result,) = outcome.run_results.values()
        findings += _findings(suite, frame, result.results)
    return findings, docs / "index.html"
