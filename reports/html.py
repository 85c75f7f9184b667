"""The HTML report: one self-contained file (inline CSS and SVG charts, no scripts, nothing fetched from a
network) with the summary, the discrepancies and where each sits, the rate tables, the failed expectations
with their rows, and the period's audit trail (amendments, source totals that differ, quarantined rows).

Every value is escaped: text from records or published files can never become markup. The tables are the
ones the workbook writes (reports/tables.py), so both show the same columns, labels and numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from ggzy.reports.assemble import ReportData
from ggzy.reports.labels import LABELS, measure_label
from ggzy.reports.tables import (
    Table,
    amendments_table,
    breakdown_table,
    cell_text,
    evidence_table,
    quarantine_table,
    rate_table,
    records_table,
    results_table,
    summary_table,
    totals_table,
)
from ggzy.reports.workbook import save_atomically

HTML_ROWS = 200  # rows of a long table shown in the page; the workbook has them all
STYLE = """
body { font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;
       margin: 24px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 2px solid #9bc2e6; }
h3 { font-size: 15px; margin-top: 18px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th { background: #ddebf7; text-align: left; } th, td { border: 1px solid #bbb; padding: 3px 8px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.bad td { background: #f8cbad; }
p.none { color: #2e7d32; } p.note { color: #555; font-size: 13px; } svg { margin: 8px 0; }
div.parts { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
@media print { body { margin: 0; } a { color: inherit; text-decoration: none; } h2 { break-after: avoid; } }
"""
COLOURS = ("#4472c4", "#ed7d31", "#a5a5a5", "#ffc000", "#5b9bd5", "#70ad47", "#264478", "#9e480e")
NUMERIC = ("money", "wan", "unit", "rate", "decimal", "count", "num")


def table_html(table: Table, limit: int | None = HTML_ROWS, link: Callable[[str, dict[str, Any]], str | None]
               | None = None, t: dict[str, str] | None = None) -> str:
    """A Table as HTML (escaped); ``link(column_key, row_refs)`` may give a cell's href (the web view)."""
    parts = []
    if table.title:
        parts.append(f"<h3>{escape(table.title)}</h3>")
    if table.note:
        parts.append(f'<p class="note">{escape(table.note)}</p>')
    head = "".join(f"<th>{escape(c.label)}</th>" for c in table.columns)
    body = []
    rows = table.rows if limit is None else table.rows[:limit]
    for index, row in enumerate(rows):
        css = ' class="bad"' if index < len(table.bad) and table.bad[index] else ""
        refs = table.refs[index] if index < len(table.refs) else {}
        cells = []
        for column, value in zip(table.columns, row, strict=False):
            text = escape(cell_text(value, column.kind))
            href = link(column.key, refs) if link is not None and value is not None else None
            if href:
                text = f'<a href="{escape(href)}">{text}</a>'
            num = ' class="num"' if column.kind in NUMERIC else ""
            cells.append(f"<td{num}>{text}</td>")
        body.append(f"<tr{css}>{''.join(cells)}</tr>")
    parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
    if limit is not None and len(table.rows) > limit:
        more = (t or LABELS["zh"])
        parts.append(f'<p class="note">… {len(table.rows) - limit} {escape(more["rows"])} '
                     f'({escape(more["more_rows"])})</p>')
    return "\n".join(parts)


def bar_chart(title: str, groups: list[str], series: list[tuple[str, list[Decimal | None]]],
              percent: bool = False) -> str:
    """A grouped bar chart as inline SVG. Geometry is computed in Decimal and rounded to whole pixels."""
    width, height, left, bottom, top = 760, 300, 70, 60, 40
    values = [v for _, vs in series for v in vs if v is not None]
    high = max([Decimal(0), *values]) or Decimal(1)
    low = min([Decimal(0), *values])
    span = high - low
    plot = height - bottom - top
    zero_y = top + int(plot * high / span)
    slot = Decimal(width - left - 20) / max(len(groups), 1)
    bar = slot * Decimal("0.8") / max(len(series), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(title)}">',
             f'<text x="{width // 2}" y="20" text-anchor="middle" font-size="15">{escape(title)}</text>',
             f'<line x1="{left}" y1="{zero_y}" x2="{width - 10}" y2="{zero_y}" stroke="#444"/>']
    for fraction in (Decimal(1), Decimal("0.5")):
        y = zero_y - int(plot * high * fraction / span)
        tick = f"{high * fraction * 100:.1f}%" if percent else f"{high * fraction:,.0f}"
        parts.append(f'<text x="{left - 6}" y="{y + 4}" text-anchor="end" font-size="11">{tick}</text>'
                     f'<line x1="{left}" y1="{y}" x2="{width - 10}" y2="{y}" stroke="#ddd"/>')
    for g, group in enumerate(groups):
        x0 = left + slot * g + slot * Decimal("0.1")
        for s, (_, vs) in enumerate(series):
            value = vs[g]
            if value is None:
                continue
            size = int(plot * abs(value) / span)
            y = zero_y - size if value >= 0 else zero_y
            shown = f"{value * 100:.2f}%" if percent else f"{value:,.2f}"
            parts.append(f'<rect x="{int(x0 + bar * s)}" y="{y}" width="{max(int(bar) - 2, 1)}" height="{size}" '
                         f'fill="{COLOURS[s % len(COLOURS)]}"><title>{escape(group)}: {shown}</title></rect>')
        parts.append(f'<text x="{int(x0 + slot * Decimal("0.4"))}" y="{height - bottom + 16}" text-anchor="middle" '
                     f'font-size="11">{escape(group)}</text>')
    for s, (name, _) in enumerate(series):
        x = left + 150 * s
        parts.append(f'<rect x="{x}" y="{height - 22}" width="12" height="12" fill="{COLOURS[s % len(COLOURS)]}"/>'
                     f'<text x="{x + 16}" y="{height - 12}" font-size="12">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def rate_charts(rates: Any, lang: str) -> tuple[str, str]:
    """The SVG charts of the rate tables: rates by category, and deal amounts by month (either may be '')."""
    t = LABELS[lang]
    table = rates.by_category
    series = [(measure_label(m, table.labels[m], lang), [v.get(m) for _, v in table.rows])
              for m in table.measures if table.kinds[m] == "rate"]
    by_category = bar_chart(t["rates_chart"], [label for label, _ in table.rows], series, percent=True) \
        if series and table.rows else ""
    monthly = bar_chart(t["monthly_chart"], [month for month, _ in rates.monthly],
                        [(c, [amounts.get(c) for _, amounts in rates.monthly]) for c in rates.categories]) \
        if rates.monthly else ""
    return by_category, monthly


def _section(key: str, title: str) -> str:
    return f'<h2 id="{key}">{escape(title)}</h2>'


def render_html(data: ReportData) -> str:
    lang = data.lang
    t = LABELS[lang]
    parts = [f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
             f"<title>{escape(data.title)}</title><style>{STYLE}</style></head><body>",
             f"<h1>{escape(data.title)}</h1>", _section("summary", t["summary"]),
             table_html(summary_table(data.meta, lang))]
    recon = data.reconciliation
    if recon is not None:
        parts.append(_section("discrepancies", t["discrepancies"]))
        bad = [r for r in recon["results"] if r["status"] != "ok"]
        if bad:
            parts.append(table_html(results_table(bad, lang), t=t))
        else:
            parts.append(f'<p class="none">{len(recon["results"])} / {len(recon["results"])} '
                         f'{escape(t["ok_count"])}</p>')
        for item in data.discrepancies:
            if item.detail is None:
                continue
            result = item.result
            parts.append(f'<h3 id="breakdown-{item.number}">{escape(t["breakdown"])}{item.number}: '
                         f'{escape(t["figure"])} {result["figure"]} '
                         f'{escape(measure_label(result["measure"], None, lang))}</h3>')
            parts.append('<div class="parts">' + "".join(
                f"<div>{table_html(breakdown_table(d, rows, result, lang), 12, t=t)}</div>"
                for d, rows in item.detail.by.items()) + "</div>")
            records = records_table(item.records, lang)
            records.title = f"{t['records_in_scope']}: {item.records_total}"
            parts.append(table_html(records, 20, t=t))
    if data.rates is not None:
        by_category_chart, monthly_chart = rate_charts(data.rates, lang)
        parts += [_section("rates-category", t["rates_category"]), table_html(rate_table(data.rates.by_category, lang)),
                  by_category_chart, _section("rates-region", t["rates_region"]),
                  table_html(rate_table(data.rates.by_region, lang))]
        if monthly_chart:
            parts += [_section("monthly", t["monthly"]), monthly_chart]
    parts.append(_section("findings", t["findings"]))
    for found in data.evidence:
        parts.append(table_html(evidence_table(found, lang), t=t))
    if not data.evidence:
        parts.append(f'<p class="none">0 {escape(t["failed"])}</p>')
    for key, title, table, rows in (
            ("amendments", t["amendments"], amendments_table(data.trail.amendments, lang), data.trail.amendments),
            ("totals", t["totals"], totals_table(data.trail.totals, lang), data.trail.totals),
            ("quarantine", t["quarantine"], quarantine_table(data.trail.quarantine, lang), data.trail.quarantine)):
        parts.append(_section(key, title))
        parts.append(table_html(table, t=t) if rows else f'<p class="none">{escape(t["none"])}</p>')
    parts.append("</body></html>")
    return "\n".join(parts)


def write_html(path: Path, data: ReportData) -> None:
    text = render_html(data)
    save_atomically(path, lambda temp: Path(temp).write_text(text, encoding="utf-8"))
