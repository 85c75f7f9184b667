"""Cell-level normalisation: header names and units, dates, amounts, categories, statuses."""

from __future__ import annotations

from dataclasses import dataclass

from ggzy.imports.headers import resolve_header
from ggzy.vocab import Vocabulary, normalise_label, user_place

MONEY_COLUMNS = {"budget": "budget_fen", "control_price": "control_price_fen",
                 "reserve": "reserve_fen", "deal": "deal_fen"}


@dataclass(frozen=True)
class HeaderCell:
    """What one header cell says: the field it holds and, for money, its unit."""

    text: str
    field: str | None
    unit: str | None


def read_header(text: str | None, extra: dict[str, str] | None = None) -> HeaderCell:
    """'中标价（万元）' → HeaderCell(field='deal', unit='万元'). Unknown headers get field None.
    (One cell alone, no sheet context: ``imports.headers`` decides; this is its short form.)"""
    decision = resolve_header(text, columns=extra)
    return HeaderCell("" if text is None else str(text), decision.field, decision.unit)


def classify(category_text: str | None, subcategory_text: str | None, code: tuple[str, str] | None,
             sheet: str, vocab: Vocabulary, fixed_category: str | None,
             context: tuple[str, str | None] | None = None) -> tuple[str | None, str | None, list[str]]:
    """(category, subcategory, reasons) from the category/subcategory cells, the profile, the sheet name,
    title line or file name (``context``: what they name) or the national project-type code inside the
    section code (``code``), in that order."""
    reasons: list[str] = []
    category = subcategory = None
    if label := category_text:
        # a category column's '其他' is 其他交易 (the national catalogue's fifth kind), not 工程建设's 其他 part
        category = vocab.category(label) or vocab.category(f"{normalise_label(label)}交易")
        if category is None and (pair := vocab.subcategory(label)):
            category, subcategory = pair
        if category is None:
            near = vocab.nearest(label)
            reasons.append(f"unknown category {label!r}{f' (close to {near})' if near else ''}: add it to "
                           f"{user_place('categories.yaml')} or fix the cell")
            return None, None, reasons
    category = category or fixed_category
    unknown_type = None
    if label := subcategory_text:
        pair = vocab.subcategory(label, category)
        if pair and (category is None or pair[0] == category):
            category, subcategory = pair
        elif category is None and (cat := vocab.category(label)):
            category = cat
        elif category is None:
            unknown_type = label  # reported only if nothing else names the category
    if category is None:
        category = vocab.category(sheet)
    if category is None and context is not None:
        category = context[0]
    if subcategory is None and context is not None and context[0] == category and context[1]:
        subcategory = context[1]
    if category is None and code:
        category = code[0]
    if subcategory is None and code and code[0] == category:
        subcategory = code[1]
    if category is None and unknown_type is not None:
        near = vocab.nearest(unknown_type)
        reasons.append(f"unknown type {unknown_type!r}{f' (close to {near})' if near else ''}: add it to "
                       f"{user_place('categories.yaml')} or fix the cell")
    if category is None and not reasons:
        if sheet_group := vocab.sheet_groups.get(normalise_label(sheet)):
            reasons.append(f"sheet {sheet} holds {' and '.join(vocab.label(c) for c in sheet_group)} records: "
                           "fill the 类型 column (e.g. 采矿权, 国有建设用地使用权) so each row says which")
        else:
            reasons.append("no category: add a 交易类别 column, name the sheet after the category "
                           "or give --profile with a category")
    return category, subcategory, reasons
