"""Cell-level normalisation: header names and units, dates, amounts, categories, statuses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from ggzy.money import UNIT_ALIASES
from ggzy.vocab import Vocabulary, normalise_label

MONEY_COLUMNS = {"budget": "budget_fen", "control_price": "control_price_fen",
                 "reserve": "reserve_fen", "deal": "deal_fen"}
_UNIT_SUFFIX = re.compile(r"^(?P<name>.*?)\((?P<unit>[^()]*)\)$")


@cache
def header_synonyms() -> dict[str, str]:
    """Normalised header text → ledger field, from ``data/headers.yaml``."""
    text = resources.files("ggzy").joinpath("data/headers.yaml").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for field_name, names in yaml.safe_load(text).items():
        for name in names:
            table[normalise_label(name)] = field_name
    return table


@dataclass(frozen=True)
class HeaderCell:
    """What one header cell says: the field it holds and, for money, its unit."""

    text: str
    field: str | None
    unit: str | None


def read_header(text: str | None, extra: dict[str, str] | None = None) -> HeaderCell:
    """'中标价（万元）' → HeaderCell(field='deal', unit='万元'). Unknown headers get field None."""
    raw = "" if text is None else str(text)
    label = normalise_label(raw)
    unit = None
    if match := _UNIT_SUFFIX.match(label):
        candidate = match["unit"]
        if candidate in UNIT_ALIASES:
            label, unit = match["name"], UNIT_ALIASES[candidate]
    elif label in ("元", "万元", "亿元"):  # a cell holding only a unit (second header row)
        return HeaderCell(raw, None, label)
    own = {normalise_label(k): v for k, v in extra.items()} if extra else {}  # a profile's columns come first
    shared = header_synonyms()
    field = next((table[key] for key in (label, normalise_label(raw)) for table in (own, shared) if key in table), None)
    return HeaderCell(raw, field, unit)


def classify(category_text: str | None, subcategory_text: str | None, code: tuple[str, str] | None,
             sheet: str, vocab: Vocabulary, fixed_category: str | None) -> tuple[str | None, str | None, list[str]]:
    """(category, subcategory, reasons) from the category/subcategory cells, the profile, the sheet name
    or the national project-type code inside the section code (``code``), in that order."""
    reasons: list[str] = []
    category = subcategory = None
    if label := category_text:
        category = vocab.category(label)
        if category is None and (pair := vocab.subcategory(label)):
            category, subcategory = pair
        if category is None:
            reasons.append(f"unknown category {label!r}: add it to the categories file or fix the cell")
            return None, None, reasons
    category = category or fixed_category
    if label := subcategory_text:
        pair = vocab.subcategory(label, category)
        if pair and (category is None or pair[0] == category):
            category, subcategory = pair
        elif category is None and (cat := vocab.category(label)):
            category = cat
        elif category is None:
            reasons.append(f"unknown type {label!r}: add it to the categories file or fix the cell")
    if category is None:
        category = vocab.category(sheet)
    if category is None and code:
        category = code[0]
    if subcategory is None and code and code[0] == category:
        subcategory = code[1]
    if category is None and not reasons:
        if sheet_group := vocab.sheet_groups.get(normalise_label(sheet)):
            reasons.append(f"sheet {sheet} holds {' and '.join(vocab.label(c) for c in sheet_group)} records: "
                           "fill the 类型 column (e.g. 采矿权, 国有建设用地使用权) so each row says which")
        else:
            reasons.append("no category: add a 交易类别 column, name the sheet after the category "
                           "or give --profile with a category")
    return category, subcategory, reasons
