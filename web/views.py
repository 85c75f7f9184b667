"""The pages of the read-only web view. Each handler reads the query string, calls the library (rules/, reports/)
and returns the page's sections; ``?format=csv`` or ``?format=xlsx`` returns the page's main table instead."""

from __future__ import annotations

import threading
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ggzy.ledger.queries import Scope
from ggzy.reports import browse
from ggzy.reports.labels import LABELS, category_label, field_label, message, period_label, value_label
from ggzy.reports.numbers import RECORD_UNIT, yuan
from ggzy.reports.tables import (
    Col,
    Table,
    breakdown_table,
    consistency_table,
    evidence_table,
    quarantine_table,
    records_table,
    results_table,
)
from ggzy.web.pages import PAGE_SIZE, Section, csv_bytes, key_values, rendered, with_query, xlsx_bytes
from sqlalchemy.engine import Engine
from starlette.requests import Request
from starlette.responses import Response

NAV = ("home", "rates", "runs", "records", "quarantine", "conflicts", "checks")
NAV_PATHS = {"home": "/", "rates": "/rates", "runs": "/runs", "records": "/records", "quarantine": "/quarantine",
             "conflicts": "/conflicts", "checks": "/checks"}


class NotFound(Exception):
    """A record, run or batch that the ledger does not hold (404)."""


class Site:
    """The engine, the language, and what is worth keeping between requests (the expectation results of a
    period, until the ledger changes)."""

    def __init__(self, engine: Engine, lang: str) -> None:
        self.engine, self.lang = engine, lang
        self.t = LABELS[lang]
        self._checks: dict[Any, Any] = {}
        self._lock = threading.Lock()

    def context(self, title: str, sections: list[Section], *, filters: list[dict[str, Any]] | None = None,
                path: str = "/", params: dict[str, str] | None = None) -> dict[str, Any]:
        from ggzy.ledger.store import describe

        return {"title": title, "t": self.t, "lang": "zh-CN" if self.lang == "zh" else "en",
                "nav": [(self.t[k], NAV_PATHS[k]) for k in NAV], "ledger": describe(self.engine),
                "sections": [rendered(s) for s in sections], "filters": filters or [], "path": path,
                "params": params or {}}

    def checks(self, period: str | None) -> Any:
        """The expectation suites' outcome for ``period``, computed once per state of the ledger."""
        from ggzy.rules.checking import run_checks

        key = (period, browse.fingerprint(self.engine))
        with self._lock:
            if key not in self._checks:
                self._checks = {key: run_checks(self.engine, period)}
            return self._checks[key]


def _wan(fen: int | None) -> Decimal | None:
    """Fen in 万元, exactly; None for a month without deals (no sum)."""
    value = yuan(fen)
    return None if value is None else value / 10_000


def _params(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.query_params.items() if v and k not in ("format", "page")}


def _download(request: Request, table: Table, name: str) -> Response | None:
    """The page's main table as CSV or xlsx, when the query string asks for it."""
    fmt = request.query_params.get("format")
    if fmt == "csv":
        return Response(csv_bytes(table), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}.csv"})
    if fmt == "xlsx":
        return Response(xlsx_bytes(table, name[:31]),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}.xlsx"})
    return None


def _downloads(site: Site, request: Request) -> dict[str, str]:
    params = _params(request)
    return {site.t["download_csv"]: with_query(request.url.path, params, format="csv"),
            site.t["download_xlsx"]: with_query(request.url.path, params, format="xlsx")}


def _page(request: Request) -> int:
    try:
        return max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        return 1


def _pager(site: Site, request: Request, page: int, total: int) -> dict[str, str]:
    params, pager = _params(request), {}
    if page > 1:
        pager[site.t["prev"]] = with_query(request.url.path, params, page=page - 1)
    if page * PAGE_SIZE < total:
        pager[site.t["next"]] = with_query(request.url.path, params, page=page + 1)
    return pager


def record_link(key: str, refs: dict[str, Any]) -> str | None:
    """Record ids and project codes link to the record; source files and batches to the batch."""
    if key in ("id", "record_id", "project_code") and refs.get("id"):
        return f"/records/{refs['id']}"
    if key in ("batch_id", "batch", "source_file", "file") and refs.get("batch_id"):
        return f"/batches/{refs['batch_id']}"
    return None


def _filter(name: str, label: str, value: str | None, options: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    return {"name": name, "label": label, "value": value or "", "options": options}


def _scope(params: dict[str, str]) -> Scope:
    """A scope from the query string's labels (period, category, subcategory, region), resolved as published
    files are; an unknown label is a GgzyError (one sentence, 400)."""
    from ggzy.rules.published import scope_from_text

    return scope_from_text({k: params[k] for k in ("period", "category", "subcategory", "region") if params.get(k)})


# pages ---------------------------------------------------------------------------------------------------


def home(site: Site, request: Request) -> Any:
    from ggzy.rules.runs import list_runs

    t = site.t
    months = browse.months(site.engine)
    table = Table([Col("month", t["month"]), Col("records", t["records"], "count"),
                   Col("deals", field_label("deals", site.lang), "count"),
                   Col("amount", t["deal_amount_wan"], "wan")],
                  [[m["period"], m["records"], m["deals"], _wan(m["deal_fen"])] for m in months],
                  [{"period": m["period"]} for m in months])
    runs = list_runs(site.engine)[:10]
    sections = [Section(t["periods"], table, lambda key, refs: f"/records?period={refs['period']}"
                        if key == "month" else f"/rates?period={refs['period']}" if key == "amount" else None),
                Section(t["runs"], _runs_table(site, runs), _run_link)]
    return site.context(f"{t['site_title']} — {t['read_only']}", sections)


def rates(site: Site, request: Request) -> Any:
    from ggzy.reports.html import rate_charts
    from ggzy.reports.rate_tables import grouped_rates, rate_tables
    from ggzy.reports.tables import grouped_table
    from ggzy.rules.engine import GROUP_COLUMNS, load_rules

    t, params = site.t, _params(request)
    by = params.get("by", "category")
    dims = [d for d in by.split(",") if d in GROUP_COLUMNS] or ["category"]
    unit = params.get("unit", "万元") if params.get("unit") in ("元", "万元", "亿元") else "万元"
    rules = load_rules()
    scope = _scope(params)
    table = grouped_table(rules, grouped_rates(site.engine, rules, scope, dims, unit), site.lang)
    if (download := _download(request, table, t["rates"])) is not None:
        return download
    charts = rate_tables(site.engine, rules, params.get("period"))
    by_category, monthly = rate_charts(charts, site.lang)
    filters = [_filter("period", t["period"], params.get("period")),
               _filter("by", t["by"], ",".join(dims), [(d, value_label("dimension", d, site.lang))
                                                       for d in GROUP_COLUMNS]),
               _filter("unit", t["unit"], unit, [(u, u) for u in ("元", "万元", "亿元")])]
    sections = [Section(None, table, downloads=_downloads(site, request)), Section(svg=by_category),
                Section(svg=monthly)]
    return site.context(f"{t['rates']} — {period_label(params.get('period'), site.lang)}", sections, filters=filters,
                        path="/rates", params=params)


def _runs_table(site: Site, runs: list[dict[str, Any]]) -> Table:
    t = site.t
    return Table([Col("id", "ID", "count"), Col("ran_at", t["ran_at"]), Col("operator", t["operator"]),
                  Col("period", t["period"]), Col("published_file", t["published_file"]),
                  Col("ok", t["ok_count"], "count"), Col("discrepancy", t["discrepancies"], "count"),
                  Col("inconsistent", t["inconsistent_count"], "count")],
                 [[r["id"], str(r["ran_at"])[:19], r["operator"], r["period"], Path(r["published_file"]).name, r["ok"],
                   r["discrepancy"], r["inconsistent"]] for r in runs], [{"run": r["id"]} for r in runs],
                 bad=[bool(r["discrepancy"] or r["inconsistent"]) for r in runs])


def _run_link(key: str, refs: dict[str, Any]) -> str | None:
    return f"/runs/{refs['run']}" if key in ("id", "discrepancy") and refs.get("run") else None


def runs(site: Site, request: Request) -> Any:
    from ggzy.rules.runs import list_runs

    t, params = site.t, _params(request)
    table = _runs_table(site, list_runs(site.engine, params.get("period")))
    if (download := _download(request, table, t["runs"])) is not None:
        return download
    return site.context(t["runs"], [Section(None, table, _run_link, downloads=_downloads(site, request))],
                        filters=[_filter("period", t["period"], params.get("period"))], path="/runs", params=params)


def _get_run(site: Site, run_id: int) -> Any:
    from ggzy.rules.runs import get_run

    found = get_run(site.engine, run_id)
    if found is None:
        raise NotFound(f"{site.t['run']} {run_id}: {site.t['not_found']}")
    return found


def run(site: Site, request: Request) -> Any:
    t, params = site.t, _params(request)
    run_id = int(request.path_params["run_id"])
    found = _get_run(site, run_id)
    status = params.get("status")
    results = [r for r in found.result["results"] if not status or r["status"] == status]
    table = results_table(results, site.lang)
    if (download := _download(request, table, f"{t['run']}{run_id}")) is not None:
        return download

    def link(key: str, refs: dict[str, Any]) -> str | None:
        if key in ("figure", "measure", "status", "ledger"):
            return f"/runs/{run_id}/figures/{refs['figure']}/{quote(refs['measure'])}"
        return None

    about = key_values([(t["ran_at"], str(found.ran_at)[:19]), (t["operator"], found.operator),
                        (t["published_file"], found.published_file), (t["rules_file"], found.rules_file),
                        (t["period"], found.period)])
    sections = [Section(None, about), Section(t["results"], table, link, downloads=_downloads(site, request)),
                Section(t["consistency"], consistency_table(found.result.get("consistency", []), site.lang))]
    filters = [_filter("status", t["status"], status, [("", t["all"]), ("discrepancy", value_label("status",
                        "discrepancy", site.lang)), ("ok", value_label("status", "ok", site.lang))])]
    return site.context(f"{t['run']} {run_id}", sections, filters=filters, path=request.url.path, params=params)


def _narrowed(scope: Scope, params: dict[str, str]) -> Scope:
    """The figure's scope narrowed by the breakdown's filters (category, month, region)."""
    from ggzy.vocab import vocabulary

    changes: dict[str, Any] = {}
    if params.get("category"):
        category = vocabulary().category(params["category"]) or params["category"]
        changes["categories"] = (category,) if scope.categories is None or category in scope.categories else ()
    if params.get("month"):
        month = params["month"]
        changes["months"] = (month,) if scope.months is None or month in scope.months else ()
    if params.get("region"):
        region = params["region"]
        changes["regions"] = (region,) if scope.regions is None or region in scope.regions else ()
    return replace(scope, **changes)


def figure(site: Site, request: Request) -> Any:
    from ggzy.rules.drill import breakdown, scope_records
    from ggzy.rules.engine import load_rules

    t, params = site.t, _params(request)
    run_id, number, measure = (int(request.path_params["run_id"]), int(request.path_params["figure"]),
                               request.path_params["measure"])
    found = _get_run(site, run_id)
    result = found.figure(number, measure)
    if result is None:
        raise NotFound(f"{t['run']} {run_id} {t['figure']} {number} {measure}: {t['not_found']}")
    rules = load_rules(found.rules_file) if found.rules_file and Path(found.rules_file).exists() else load_rules()
    detail = breakdown(site.engine, rules, result)
    batch = int(params["batch"]) if params.get("batch", "").isdigit() else None
    page = _page(request)
    records, total = scope_records(site.engine, _narrowed(detail.scope, params), PAGE_SIZE, (page - 1) * PAGE_SIZE,
                                   batch_id=batch)
    listing = records_table(records, site.lang)
    if (download := _download(request, records_table(scope_records(
            site.engine, _narrowed(detail.scope, params), batch_id=batch)[0], site.lang),
            f"{t['figure']}{number}-{measure}")) is not None:
        return download
    listing.title = f"{t['records_in_scope']}: {total}"
    path = request.url.path

    def group_link(dimension: str) -> Any:
        def link(key: str, refs: dict[str, Any]) -> str | None:
            value = refs.get(dimension)
            if key != dimension or value is None:
                return None
            name = "batch" if dimension == "batch" else dimension
            return with_query(path, {}, **{name: value}) + "#records"
        return link

    sections = [Section(None, results_table([result], site.lang))]
    sections += [Section(None, breakdown_table(d, rows, result, site.lang), group_link(d))
                 for d, rows in detail.by.items()]
    sections.append(Section(None, listing, record_link, anchor="records", downloads=_downloads(site, request),
                            pager=_pager(site, request, page, total)))
    filters = [_filter("category", t["category"], params.get("category")),
               _filter("month", t["month"], params.get("month")), _filter("region", t["region"], params.get("region")),
               _filter("batch", t["batch"], params.get("batch"))]
    title = f"{t['run']} {run_id} · {t['figure']} {number} · {value_label('status', result['status'], site.lang)}"
    return site.context(title, sections, filters=filters, path=path, params=params)


def records(site: Site, request: Request) -> Any:
    from ggzy.rules.drill import scope_records

    t, params = site.t, _params(request)
    scope = _scope(params)
    batch = int(params["batch"]) if params.get("batch", "").isdigit() else None
    page = _page(request)
    if request.query_params.get("format"):
        table = records_table(scope_records(site.engine, scope, order="id", batch_id=batch)[0], site.lang)
        return _download(request, table, t["record"])
    rows, total = scope_records(site.engine, scope, PAGE_SIZE, (page - 1) * PAGE_SIZE, order="id", batch_id=batch)
    table = records_table(rows, site.lang)
    table.title = f"{total} {t['count_records']}"
    filters = [_filter(k, t[k], params.get(k)) for k in ("period", "category", "subcategory", "region", "batch")]
    return site.context(t["records"], [Section(None, table, record_link, downloads=_downloads(site, request),
                                               pager=_pager(site, request, page, total))],
                        filters=filters, path="/records", params=params)


def _field_value(name: str, value: Any, lang: str) -> Any:
    if name.endswith("_fen"):
        return None if value is None else f"{yuan(value):,.2f}"
    if name == "category":
        return category_label(value, lang)
    if name == "status":
        return value_label("trade", value, lang)
    return value


def record(site: Site, request: Request) -> Any:
    from ggzy.ledger.models import RECORD_FIELDS

    t, lang = site.t, site.lang
    record_id = int(request.path_params["record_id"])
    view = browse.record(site.engine, record_id)
    if view is None:
        raise NotFound(f"{t['record']} {record_id}: {t['not_found']}")
    shown = view.current or view.posted
    values = key_values([(field_label(f, lang, RECORD_UNIT), _field_value(f, shown.get(f), lang))
                         for f in ("id", *RECORD_FIELDS, "period")],
                        title=t["posted_values"] if view.current else value_label("amendment", "void", lang))
    batch, where = view.batch, view.current or view.posted
    source = Table([Col("file", t["file"]), Col("sheet", t["sheet"]), Col("row", t["row"], "count"),
                    Col("batch", t["batch"], "count"), Col("imported_at", t["imported_at"]),
                    Col("operator", t["operator"]), Col("sha256", t["sha256"]), Col("profile", t["profile"])],
                   [[where["source_file"], where["source_sheet"], where["source_row"], batch["id"],
                     str(batch["imported_at"])[:19], batch["operator"], batch["sha256"], batch["profile"] or "—"]],
                   [{"batch_id": batch["id"]}], title=t["source"])
    original = {t["download_source"]: f"/batches/{batch['id']}/source"} if batch["source_bytes"] is not None else {}
    found = view.source
    cells = Table([Col("header", t["header"]), Col("cell", t["cell"])], [[name, value] for name, value in found.cells],
                  title=f"{t['raw_cells']}: {found.file_name} · {found.sheet} · {t['row']} {found.row}",
                  note=browse.missing_source_text(found, lang) if found.missing else None)
    raw_rows = [[h["source_file"], h["source_sheet"], h["source_row"], value_label("held", h["kind"], lang),
                 "; ".join(f"{k}={v}" for k, v in h["raw"].items() if v not in (None, ""))] for h in view.held]
    raw = Table([Col("file", t["file"]), Col("sheet", t["sheet"]), Col("row", t["row"], "count"),
                 Col("kind", t["kind"]), Col("raw", t["raw"])], raw_rows, title=t["held_same_source"])
    history = Table([Col("version", t["version"], "count"), Col("kind", t["kind"]), Col("at", t["at"]),
                     Col("operator", t["operator"]), Col("why", t["why"]), Col("changes", t["changes"]),
                     Col("source", t["source"])],
                    [[v["version"], value_label("amendment", v["kind"], lang), v["at"], v["operator"],
                      message(v["reason"], lang),
                      "; ".join(_change(k, a, b, v["unit"], lang) for k, (a, b) in v["changes"].items()),
                      v["source"]] for v in view.history], title=t["history"])
    chain = Table([Col("id", "ID", "count"), Col("kind", t["kind"]), Col("ref", t["ref"], "count"),
                   Col("link", t["chain_link"]), Col("previous", t["previous_link"])],
                  [[c["id"], value_label("link", c["kind"], lang), c["ref_id"], c["link"], c["previous"]]
                   for c in view.links], title=t["chain"])
    sections = [Section(None, values), Section(None, source, record_link, anchor="source", downloads=original),
                Section(None, cells, anchor="raw")]
    if view.held:
        sections.append(Section(None, raw, anchor="held"))
    sections += [Section(None, history), Section(None, chain)]
    name = shown.get("name") or shown.get("project_code")
    return site.context(f"{t['record']} {record_id} · {name}", sections)


def _change(field: str, before: Any, after: Any, unit: str | None, lang: str) -> str:
    """One field of a version: money in the unit its amendment was given in (元 when none was kept)."""
    from ggzy.reports.labels import change_text

    return change_text(field, before, after, unit or RECORD_UNIT, lang)


def batch(site: Site, request: Request) -> Any:
    t = site.t
    batch_id = int(request.path_params["batch_id"])
    found = browse.batch(site.engine, batch_id)
    if found is None:
        raise NotFound(f"{t['batch']} {batch_id}: {t['not_found']}")
    chain = found["chain"] or {}
    kept = found["source_bytes"]
    about = key_values([(t["file"], found["file_name"]), (t["sha256"], found["sha256"]),
                        (t["source_kept"], t["kept_bytes"].format(size=f"{kept:,}") if kept is not None
                         else t["not_kept"]),
                        (t["sheet"], found["sheets"]), (field_label("title", site.lang), found["title"]),
                        (t["profile"], found["profile"] or "—"), (t["operator"], found["operator"]),
                        (t["imported_at"], str(found["imported_at"])[:19]), (t["rows"], found["rows"]),
                        (t["posted_rows"], found["posted"]), (t["unchanged_rows"], found["unchanged"]),
                        (t["quarantined_count"], found["quarantined"]), (t["conflicts"], found["conflicts"]),
                        (t["chain_link"], chain.get("link", "—"))])
    held = quarantine_table(browse.held_rows(site.engine, batch_id=batch_id), site.lang)
    downloads = {t["records"]: f"/records?batch={batch_id}"}
    if kept is not None:
        downloads[t["download_source"]] = f"/batches/{batch_id}/source"
    sections = [Section(None, about), Section(t["quarantine"], held, record_link),
                Section(t["records"], text=None, downloads=downloads)]
    return site.context(f"{t['batch']} {batch_id} · {found['file_name']}", sections)


def batch_source(site: Site, request: Request) -> Any:
    """The batch's original file, byte for byte as it was imported (kept in the ledger)."""
    batch_id = int(request.path_params["batch_id"])
    found = browse.original(site.engine, batch_id)
    if found is None:
        raise NotFound(f"{site.t['batch']} {batch_id}: {site.t['source_kept']} {site.t['not_found']}")
    name, data = found
    media = "text/csv" if name.lower().endswith(".csv") else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


def quarantine(site: Site, request: Request, kind: str | None = None) -> Any:
    t, params = site.t, _params(request)
    kind = kind or params.get("kind") or None
    batch_id = int(params["batch"]) if params.get("batch", "").isdigit() else None
    table = quarantine_table(browse.held_rows(site.engine, kind, batch_id), site.lang)
    title = t["conflicts"] if kind == "conflict" else t["quarantine"]
    if (download := _download(request, table, title)) is not None:
        return download
    filters = [_filter("kind", t["kind"], kind, [("", t["all"]), ("invalid", value_label("held", "invalid", site.lang)),
                                                 ("conflict", value_label("held", "conflict", site.lang))]),
               _filter("batch", t["batch"], params.get("batch"))]
    return site.context(title, [Section(None, table, record_link, downloads=_downloads(site, request))],
                        filters=filters, path=request.url.path, params=params)


def conflicts(site: Site, request: Request) -> Any:
    return quarantine(site, request, "conflict")


def checks(site: Site, request: Request) -> Any:
    t, params, lang = site.t, _params(request), site.lang
    period = params.get("period")
    if period:
        from ggzy.periods import parse_period

        parse_period(period)
    outcome = site.checks(period)
    failed = [f for f in outcome.findings if not f.success]
    table = Table([Col("expectation", t["expectation"]), Col("label", t["label"]), Col("level", t["level"]),
                   Col("severity", t["severity"]), Col("failed", t["failed"], "count"),
                   Col("checked", t["checked"], "count")],
                  [[f.expectation, f.label, value_label("level", f.level, lang),
                    value_label("severity", f.severity, lang), f.unexpected_count, f.element_count] for f in failed],
                  [{"expectation": f.expectation} for f in failed], bad=[f.severity == "error" for f in failed])
    if (download := _download(request, table, t["checks"])) is not None:
        return download

    def link(key: str, refs: dict[str, Any]) -> str | None:
        return with_query(f"/checks/{quote(refs['expectation'])}", {"period": period}) \
            if key in ("expectation", "label", "failed") else None

    return site.context(f"{t['checks']} — {period_label(period, lang)}",
                        [Section(None, table, link, downloads=_downloads(site, request))],
                        filters=[_filter("period", t["period"], period)], path="/checks", params=params)


def check(site: Site, request: Request) -> Any:
    from ggzy.rules.evidence import evidence

    t, params = site.t, _params(request)
    name = request.path_params["expectation"]
    outcome = site.checks(params.get("period"))
    finding = next((f for f in outcome.findings if f.expectation == name and not f.success), None)
    if finding is None:
        raise NotFound(f"{t['expectation']} {name}: {t['not_found']}")
    table = evidence_table(evidence(finding), site.lang)
    if (download := _download(request, table, name)) is not None:
        return download
    return site.context(finding.label, [Section(None, table, record_link, downloads=_downloads(site, request))],
                        path=request.url.path, params=params)
