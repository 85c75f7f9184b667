"""The HTML report: one self-contained file (inline CSS and SVG charts, no scripts, nothing fetched from a
network) with the summary, the discrepancies, the rate tables and the failed expectations.

Every value is escaped: text from records or published files can never become markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from ggzy.reports.labels import LABELS, measure_label
from ggzy.reports.rate_tables import RateTable
from ggzy.reports.workbook import ReportData, save_atomically

STYLE = """
body { font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;
       margin: 24px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 2px solid #9bc2e6; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th { background: #ddebf7; text-align: left; } th, td { border: 1px solid #bbb; padding: 3px 8px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } tr.bad td { background: #f8cbad; }
p.none { color: #2e7d32; } svg { margin: 8px 0; }
"""
COLOURS = ("#4472c4", "#ed7d31", "#a5a5a5", "#ffc000", "#5b9bd5", "#70ad47", "#264478", "#9e480e")


def _cell(value: Any, kind: str = "") -> str:
    if value is None:
        return "<td>—</td>"
    if kind == "money":
        return f'<td class="num">{value:,.2f}</td>'
    if kind == "rate":
        return f'<td class="num">{value * 100:.2f}%</td>'
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return f'<td class="num">{value}</td>'
    return f"<td>{escape(str(value))}</td>"


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]], kinds: Sequence[str] = (),
           bad: Sequence[bool] = ()) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = []
    for index, row in enumerate(rows):
        css = ' class="bad"' if index < len(bad) and bad[index] else ""
        cells = "".join(_cell(v, kinds[i] if i < len(kinds) else "") for i, v in enumerate(row))
        body.append(f"<tr{css}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


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


def _rate_table(table: RateTable, t: dict[str, str], lang: str) -> str:
    header = [t[table.by]] + [measure_label(m, table.labels[m], lang) + (f"({t['wan']})"
                              if table.kinds[m] == "money" else "") for m in table.measures]
    rows = [[label, *(values.get(m) for m in table.measures)] for label, values in table.rows]
    if table.total:
        rows.append([t["total"], *(table.total.get(m) for m in table.measures)])
    return _table(header, rows, ["", *(table.kinds[m] for m in table.measures)])


def render_html(data: ReportData, lang: str = "zh") -> str:
    t = LABELS[lang]
    parts = [f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
             f"<title>{escape(t['title'])}</title><style>{STYLE}</style></head><body>",
             f"<h1>{escape(t['title'])}</h1>", f"<h2>{escape(t['summary'])}</h2>",
             _table([t["key"], t["value"]], data.meta)]
    recon = data.reconciliation
    if recon is not None:
        parts.append(f"<h2>{escape(t['discrepancies'])}</h2>")
        bad = [r for r in recon["results"] if r["status"] != "ok"]
        if bad:
            parts.append(_table(
                [t[k] for k in ("figure", "line", "measure", "category", "subcategory", "region", "published",
                                "unit", "ledger", "difference", "command")],
                [[r["figure"], r["line"], r["measure"], r["scope"].get("category"), r["scope"].get("subcategory"),
                  r["scope"].get("region"), r["published"], r["unit"], r["ledger"], r["difference"],
                  r["records_command"]] for r in bad], bad=[True] * len(bad)))
        else:
            parts.append(f'<p class="none">{len(recon["results"])} / {len(recon["results"])} ok</p>')
    rates = data.rates
    if rates is not None:
        table = rates.by_category
        parts += [f"<h2>{escape(t['rates_category'])}</h2>", _rate_table(table, t, lang)]
        series = [(measure_label(m, table.labels[m], lang), [v.get(m) for _, v in table.rows])
                  for m in table.measures if table.kinds[m] == "rate"]
        if series and table.rows:
            parts.append(bar_chart(t["rates_chart"], [label for label, _ in table.rows], series,  # type: ignore[misc]
                                   percent=True))
        parts += [f"<h2>{escape(t['rates_region'])}</h2>", _rate_table(rates.by_region, t, lang)]
        if rates.monthly:
            parts += [f"<h2>{escape(t['monthly'])}</h2>", bar_chart(
                t["monthly_chart"], [month for month, _ in rates.monthly],
                [(c, [amounts.get(c) for _, amounts in rates.monthly]) for c in rates.categories])]
    parts.append(f"<h2>{escape(t['findings'])}</h2>")
    if data.findings:
        parts.append(_table([t["expectation"], t["level"], t["severity"], t["failed"], t["records"]],
                            [[f["label"], f.get("level", "record"), f["severity"], f["unexpected_count"],
                              f["element_count"]] for f in data.findings],
                            bad=[f["severity"] == "error" for f in data.findings]))
    else:
        parts.append(f'<p class="none">0 {escape(t["failed"])}</p>')
    parts.append(f"<h2>{escape(t['quarantine'])}</h2>")
    parts.append(_table([t["file"], t["sheet"], t["row"], t["reasons"]],
                        [[q["source_file"], q["source_sheet"], q["source_row"], q["reasons"]]
                         for q in data.quarantine[:200]]))
    if len(data.quarantine) > 200:
        parts.append(f"<p>… {len(data.quarantine) - 200} {escape(t['rows'])} (xlsx)</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_html(path: Path, data: ReportData, lang: str = "zh") -> None:
    text = render_html(data, lang)
    save_atomically(path, lambda temp: Path(temp).write_text(text, encoding="utf-8"))
