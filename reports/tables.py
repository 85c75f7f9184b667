"""The report's parts as labelled tables of numbers: the workbook writes them as sheets, the HTML report and
the web view as HTML tables, the web view's downloads as CSV or xlsx — so every output has the same columns,
labels (reports/labels.py) and values.

A cell holds a number as a number: money of records in 元 (Decimal, kind ``money``), a rate as a ratio (kind
``rate``, shown as %), a published figure's values as ``Num`` (the figure's unit, its decimals and, for a
difference, a sign).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ggzy.money import fen_to_decimal
from ggzy.reports.labels import LABELS, category_label, field_label, measure_label, message, value_label
from ggzy.reports.numbers import RECORD_UNIT, figure_numbers, plain
from ggzy.reports.rate_tables import GroupedRates, RateTable, measure_kind, measure_value
from ggzy.reports.trail import AmendmentRow, Change
from ggzy.rules.drill import RECORD_COLUMNS, BreakdownRow
from ggzy.rules.engine import RuleSet
from ggzy.rules.evidence import Evidence


@dataclass(frozen=True)
class Num:
    """A number in a published figure's unit, shown with ``places`` decimals (``signed``: +/−)."""

    value: Decimal | None
    places: int
    signed: bool = False


@dataclass(frozen=True)
class Col:
    key: str
    label: str
    kind: str = "text"  # text | money (元) | rate (ratio) | count | num (Num cells)


@dataclass
class Table:
    columns: list[Col]
    rows: list[list[Any]] = field(default_factory=list)
    refs: list[dict[str, Any]] = field(default_factory=list)  # per row: ids a viewer links to (record_id, …)
    title: str | None = None
    note: str | None = None
    bad: list[bool] = field(default_factory=list)  # rows to highlight

    @property
    def header(self) -> list[str]:
        return [c.label for c in self.columns]


def _scope_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return "+".join(map(str, value))
    if isinstance(value, dict):
        return "+".join(str(x) for v in value.values() for x in (v if isinstance(v, list) else [v]))
    return str(value)


def results_table(results: list[dict[str, Any]], lang: str, sheet_of: dict[tuple[int, str], str] | None = None,
                  measure_labels: dict[str, str] | None = None) -> Table:
    """Reconciliation results; 差额 = ledger − published in the figure's unit, said once in its column header."""
    t = LABELS[lang]
    keys = ["figure", "line", "measure", "period", "region", "category", "subcategory", "exclude", "published",
            "unit", "low", "high", "ledger", "difference", "records", "status"]
    kinds = {"published": "num", "low": "num", "high": "num", "ledger": "num", "difference": "num", "figure": "count",
             "line": "count", "records": "count"}
    columns = [Col(k, t["ledger_difference"] if k == "difference" else t[k], kinds.get(k, "text")) for k in keys]
    if sheet_of is not None:
        columns.append(Col("breakdown", t["breakdown"]))
    columns.append(Col("command", t["command"]))
    table = Table(columns)
    for r in results:
        n = figure_numbers(r)
        s = r["scope"]
        places = n.shown_places
        bound = n.places + 1 if r["unit"] else n.places  # half a step of the published precision
        row = [r["figure"], r["line"], measure_label(r["measure"], (measure_labels or {}).get(r["measure"]), lang),
               s.get("period"), _scope_value(s.get("region")), _scope_value(s.get("category")),
               _scope_value(s.get("subcategory")), _scope_value(s.get("exclude")), Num(n.published, n.places),
               r["unit"] or None, Num(n.low, bound), Num(n.high, bound), Num(n.ledger, places),
               Num(n.difference, places, signed=True), r["records"] if r["records"] >= 0 else None,
               value_label("status", r["status"], lang)]
        if sheet_of is not None:
            row.append(sheet_of.get((r["figure"], r["measure"])))
        row.append(r["records_command"])
        table.rows.append(row)
        table.refs.append({"figure": r["figure"], "measure": r["measure"]})
        table.bad.append(r["status"] != "ok")
    return table


def consistency_table(checks: list[dict[str, Any]], lang: str) -> Table:
    t = LABELS[lang]
    return Table([Col("figures", t["figures"]), Col("measure", t["measure"]), Col("status", t["status"]),
                  Col("detail", t["detail"])],
                 [[", ".join(map(str, c["figures"])), measure_label(c["measure"], None, lang),
                   value_label("status", c["status"], lang), message(c["detail"], lang)] for c in checks],
                 bad=[c["status"] != "ok" for c in checks])


def breakdown_table(dimension: str, rows: list[BreakdownRow], result: dict[str, Any], lang: str) -> Table:
    """One dimension of a figure's ledger side: the value per group in the figure's unit, and its records."""
    t = LABELS[lang]
    places = figure_numbers(result).shown_places
    unit = f"({result['unit']})" if result["unit"] else ""
    label = category_label if dimension == "category" else (lambda v, _lang: v)
    # a file read in two batches (imported again after a fix) would show twice under one name: say which batch
    repeated = {r.label for r in rows if sum(o.label == r.label for o in rows) > 1} if dimension == "batch" else set()
    table = Table([Col(dimension, value_label("dimension", dimension, lang)),
                   Col("ledger", t["ledger"] + unit, "num"), Col("records", t["records"], "count")],
                  title=f"{t['dimension']}: {value_label('dimension', dimension, lang)}")
    for row in rows:
        shown = t["file_of_batch"].format(file=row.label, batch=row.group) if row.label in repeated else row.label
        table.rows.append([label(row.label, lang) if dimension == "category" else shown,
                           Num(row.value, places), row.records])
        table.refs.append({dimension: row.group})
    return table


def records_table(records: list[dict[str, Any]], lang: str) -> Table:
    """Records as listed under a discrepancy (money in 元)."""
    columns = [Col(c, field_label(c, lang, RECORD_UNIT), "money" if c.endswith("_fen") else
                   "count" if c in ("id", "source_row", "batch_id") else "text") for c in RECORD_COLUMNS]
    table = Table(columns)
    for record in records:
        table.rows.append([_record_value(c, record.get(c), lang) for c in RECORD_COLUMNS])
        table.refs.append({"id": record.get("id"), "batch_id": record.get("batch_id")})
    return table


def _record_value(column: str, value: Any, lang: str) -> Any:
    if column == "category":
        return category_label(value, lang) if value else None
    if column == "status":
        return value_label("trade", value, lang) if value else None
    return plain(value, "money" if column.endswith("_fen") else "text")


def evidence_table(found: Evidence, lang: str) -> Table:
    """A failed expectation's rows with their descriptive fields, the fields read and the excess."""
    t = LABELS[lang]
    f = found.finding
    columns = []
    for c in found.columns:
        if c.key == "excess":
            label = t["excess"] + ((f"({RECORD_UNIT})" if lang == "zh" else f" ({RECORD_UNIT})") if c.kind == "money"
                                   else "")
        elif c.key == "excess_rate":
            label = t["excess_rate"]
        else:
            label = field_label(c.key, lang, RECORD_UNIT)
        columns.append(Col(c.key, label, c.kind if c.kind in ("money", "rate", "count") else "text"))
    sign_off = [Col("reviewer", t["reviewer"]), Col("decision", t["decision"]), Col("note", t["note"])]
    title = (f"{f.label} ({f.expectation}, {value_label('level', f.level, lang)}, "
             f"{value_label('severity', f.severity, lang)}): {f.unexpected_count}/{f.element_count}")
    table = Table([*columns, *sign_off], title=title)
    for row in found.rows:
        cells = []
        for c in found.columns:
            value = row.get(c.key)
            if c.key == "category":
                value = category_label(value, lang) if value else None
            elif c.key == "status":
                value = value_label("trade", value, lang) if value else None
            cells.append(plain(value, c.kind))
        table.rows.append([*cells, None, None, None])
        table.refs.append({"id": row.get("id"), "batch_id": row.get("batch_id")})
    return table


def money_places(unit: str, *fen: Any) -> int:
    """Decimals that show every amount of ``fen`` exactly in ``unit``, at least two: 518.04 万元, 1,721.5823 万元."""
    places = 2
    for value in fen:
        if value is not None:
            exponent = fen_to_decimal(int(value), unit).normalize().as_tuple().exponent
            places = max(places, -exponent if isinstance(exponent, int) else 0)
    return places


def _change_value(field_name: str, value: Any, lang: str, unit: str = RECORD_UNIT) -> Any:
    if field_name.endswith("_fen"):  # a number in the amendment's unit, exact, in a column of mixed fields
        return Num(None if value is None else fen_to_decimal(int(value), unit), money_places(unit, value))
    if field_name == "category":
        return category_label(value, lang)
    if field_name == "status":
        return value_label("trade", value, lang)
    return value


def amendments_table(rows: list[AmendmentRow], lang: str) -> Table:
    """Amendments and voids: who, when, why, and each field before → after, one line per field — money in the
    unit the amendment was given in (成交金额(万元) 1,721.5823 → 518.04), so it reads as the person wrote it."""
    t = LABELS[lang]
    table = Table([Col("amendment_id", "ID", "count"), Col("record_id", t["record_id"], "count"),
                   Col("kind", t["kind"]), Col("operator", t["operator"]), Col("at", t["at"]), Col("why", t["why"]),
                   Col("project_code", field_label("project_code", lang)), Col("name", field_label("name", lang)),
                   Col("region", field_label("region", lang)), Col("period", t["month"]), Col("field", t["field"]),
                   Col("before", t["before"]), Col("after", t["after"])])
    for a in rows:
        head = [a.amendment_id, a.record_id, value_label("amendment", a.kind, lang), a.operator,
                a.at.strftime("%Y-%m-%d %H:%M:%S") if a.at else None, a.reason, a.project_code, a.name, a.region,
                a.period]
        changes: list[Change | None] = [*a.changes] or [None]  # an amendment without changes still gets a row
        for change in changes:
            if change is None:
                table.rows.append([*head, None, None, None])
            else:
                table.rows.append([*head, field_label(change.field, lang, a.unit),
                                   _change_value(change.field, change.before, lang, a.unit),
                                   _change_value(change.field, change.after, lang, a.unit)])
            table.refs.append({"id": a.record_id})
    return table


def _decimal(text: Any) -> Decimal | None:
    try:
        return Decimal(str(text).replace(",", "")) if text not in (None, "") else None
    except ArithmeticError:
        return None


def totals_table(totals: list[dict[str, Any]], lang: str) -> Table:
    """合计/小计 rows that disagree with the rows above them, in the sheet's own unit."""
    t = LABELS[lang]
    table = Table([Col("batch", t["batch"], "count"), Col("file", t["file"]), Col("sheet", t["sheet"]),
                   Col("row", t["row"], "count"), Col("label", t["label"]), Col("column", t["column"]),
                   Col("unit", t["unit"]), Col("stated", t["stated"], "num"), Col("rows_sum", t["rows_sum"], "num"),
                   Col("difference", t["totals_difference"], "num"),
                   Col("covered", t["covered"], "count"), Col("held", t["held"], "count")])
    for r in totals:
        values = [_decimal(r[k]) for k in ("stated", "rows_sum", "difference")]
        places = max((len(str(r[k]).partition(".")[2]) for k in ("stated", "rows_sum", "difference")), default=2)
        table.rows.append([r["batch_id"], r["file_name"], r["source_sheet"], r["source_row"], r["label"],
                           r["column_name"], r["unit"], Num(values[0], places), Num(values[1], places),
                           Num(values[2], places, signed=True), r["record_rows"] + r["held_rows"], r["held_rows"]])
        table.refs.append({"batch_id": r["batch_id"]})
    return table


def quarantine_table(rows: list[dict[str, Any]], lang: str) -> Table:
    t = LABELS[lang]
    table = Table([Col("batch", t["batch"], "count"), Col("kind", t["kind"]), Col("file", t["file"]),
                   Col("sheet", t["sheet"]), Col("row", t["row"], "count"), Col("reasons", t["reasons"]),
                   Col("raw", t["raw"])])
    for q in rows:
        raw = q["raw_json"]  # the cells as read: header → text (JSON, Chinese as written)
        table.rows.append([q["batch_id"], value_label("held", q["kind"], lang), q["source_file"], q["source_sheet"],
                           q["source_row"], message(q["reasons"], lang), raw])
        table.refs.append({"held_id": q["id"], "batch_id": q["batch_id"], "id": q.get("existing_record_id")})
    return table


def rate_table(table: RateTable, lang: str) -> Table:
    """A rate table (money in 万元, rates as ratios) with its total line."""
    t = LABELS[lang]
    kinds = {"money": "wan", "rate": "rate", "number": "decimal", "count": "count"}
    columns = [Col(table.by, t[table.by])] + [
        Col(m, measure_label(m, table.labels[m], lang) + (f"({t['wan']})" if table.kinds[m] == "money" else ""),
            kinds[table.kinds[m]]) for m in table.measures]
    out = Table(columns)
    for label, values in table.rows:
        out.rows.append([category_label_of(label, table.by, lang), *(values.get(m) for m in table.measures)])
        out.refs.append({table.by: label})
    if table.total:
        out.rows.append([t["total"], *(table.total.get(m) for m in table.measures)])
        out.refs.append({})
    return out


def category_label_of(label: str, by: str, lang: str) -> str:
    """Rate tables carry Chinese category labels; English reports show the canonical name."""
    if by != "category" or lang == "zh":
        return label
    from ggzy.vocab import vocabulary

    return vocabulary().category(label) or label


def summary_table(meta: list[tuple[str, Any]], lang: str) -> Table:
    t = LABELS[lang]
    return Table([Col("key", t["key"]), Col("value", t["value"])], [list(m) for m in meta])


def cell_text(value: Any, kind: str = "text", grouping: bool = True) -> str:
    """A cell as text (HTML, web, terminal): 1,234.56 for money, 12.34% for a rate, a figure's own decimals;
    ``grouping=False`` leaves out thousands separators (CSV)."""
    comma = "," if grouping else ""
    if isinstance(value, Num):
        if value.value is None:
            return "—"
        text = format(value.value, f"{comma}.{value.places}f")
        return f"+{text}" if value.signed and value.value > 0 else text
    if value is None:
        return "—" if kind != "text" else ""
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        if kind in ("money", "wan", "unit"):
            return format(Decimal(value).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"), f"{comma}f")
        if kind == "rate":
            return format((Decimal(value) * 100).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"), "f") + "%"
        if kind == "decimal":
            return format(Decimal(value).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"), "f")
    return str(value)


def csv_value(value: Any) -> Any:
    """A cell for CSV: numbers plain (no thousands separators), a figure's value with its decimals."""
    if isinstance(value, Num):
        return "" if value.value is None else f"{value.value:.{value.places}f}"
    return "" if value is None else value


def grouped_table(rules: RuleSet, rates: GroupedRates, lang: str) -> Table:
    """The grouped rates as a labelled Table (numbers stay numbers)."""
    t = LABELS[lang]
    kinds = {"money": "unit", "rate": "rate", "number": "decimal", "count": "count"}
    columns = [Col(d, value_label("dimension", d, lang)) for d in rates.dims] + [
        Col(n, measure_label(n, rules.measure(n).label, lang)
            + (f"({rates.unit})" if measure_kind(rules, n) == "money" else ""), kinds[measure_kind(rules, n)])
        for n in rates.names]
    table = Table(columns)
    for row in rates.rows:
        labels = [category_label(v, lang) if d == "category" and v else (v or "—") for d, v in row.group.items()]
        table.rows.append([*labels, *(measure_value(rules, row, n, rates.unit) for n in rates.names)])
        table.refs.append(dict(row.group))
    if rates.total is not None:
        table.rows.append([t["total"], *[""] * (len(rates.dims) - 1),
                           *(measure_value(rules, rates.total, n, rates.unit) for n in rates.names)])
        table.refs.append({})
    return table
