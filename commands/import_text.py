"""The lines a plain `ggzy import` prints under its table about how sheets were read: headers that look like data
but were left unused, two columns holding one amount, region names that look like one place, findings of the
record suite — in the user's language (reports/labels.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ggzy.reports.labels import LABELS, column_label, value_label

if TYPE_CHECKING:
    from ggzy.imports.explain import SheetReading
    from ggzy.imports.headers import Decision
    from ggzy.imports.regions import RegionVariant
    from ggzy.rules.suites import Finding


def _why_unused(decision: Decision, lang: str) -> str:
    words = LABELS[lang]
    if decision.compare:
        return words["unused_compared"].format(field=column_label(decision.compare, lang, record=True))
    if decision.candidate:
        return words["unused_could_be"].format(field=column_label(decision.candidate, lang, record=True))
    return words["unused_plain"]


def sheet_notices(reading: SheetReading | None, lang: str) -> list[str]:
    """At most two lines for one sheet: unused data-looking headers; amounts held by two columns."""
    from ggzy.imports.explain import shown, unused_data_headers

    if reading is None or reading.header is None:
        return []
    words, lines = LABELS[lang], []
    if unused := unused_data_headers(reading):
        named = ", ".join(f"{shown(d.text)} ({_why_unused(d, lang)})" for d in unused)
        lines.append("  " + words["unused_notice"].format(file=reading.file, sheet=reading.sheet, named=named))
    if ties := reading.header.money_ties():
        named = "; ".join(words["tie_field"].format(field=column_label(field, lang, record=True),
                                                    headers=", ".join(shown(d.text) for d in held))
                          for field, held in ties.items())
        lines.append("  " + words["tie_notice"].format(file=reading.file, sheet=reading.sheet, named=named))
    return lines


def variant_line(variant: RegionVariant, lang: str) -> str:
    from ggzy.vocab import user_place

    return "  " + LABELS[lang]["region_variant"].format(written=variant.written, other=variant.other,
                                                        where=variant.where, place=user_place("regions.yaml"))


def finding_line(finding: Finding, lang: str) -> str:
    where = ", ".join(f"{r['source_file']}:{r['source_sheet']}:{r['source_row']}" for r in finding.records[:5])
    return "  " + LABELS[lang]["finding_line"].format(severity=value_label("severity", finding.severity, lang),
                                                      label=finding.label, expectation=finding.expectation,
                                                      count=finding.unexpected_count, where=where)
