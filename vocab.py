"""The words of the trade (categories, subcategories, statuses) loaded from ``data/categories.yaml``."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

STATUSES = ("deal", "failed", "terminated", "suspended")
STATUS_LABELS = {"deal": "成交", "failed": "流标/流拍", "terminated": "终止", "suspended": "中止/延期"}


def normalise_label(text: str) -> str:
    """NFKC, no spaces, ASCII brackets: '房屋建筑 工程（A01）' → '房屋建筑工程(A01)'."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


@dataclass
class Vocabulary:
    """Lookup tables built from the categories data file."""

    category_labels: dict[str, str] = field(default_factory=dict)  # canonical → 中文
    category_alias: dict[str, str] = field(default_factory=dict)  # alias → canonical
    subcategories: dict[str, list[str]] = field(default_factory=dict)  # canonical → [子类]
    subcategory_alias: dict[str, tuple[str, str]] = field(default_factory=dict)  # alias → (cat, sub)
    codes: dict[str, tuple[str, str]] = field(default_factory=dict)  # A07 → (construction, 水利)
    status_alias: dict[str, str] = field(default_factory=dict)
    sheet_groups: dict[str, list[str]] = field(default_factory=dict)  # '土地矿权' → [land, mining]

    def category(self, label: str) -> str | None:
        """Canonical category for a label or alias, else None."""
        key = normalise_label(label)
        return self.category_alias.get(key) or self.category_alias.get(key.lower())

    def subcategory(self, label: str, category: str | None = None) -> tuple[str, str] | None:
        """(category, subcategory) for a subcategory label; ``category`` disambiguates 其他."""
        key = normalise_label(label)
        if category and key in self.subcategories.get(category, []):
            return category, key
        if category:
            for alias, (cat, sub) in self.subcategory_alias.items():
                if alias == key and cat == category:
                    return cat, sub
        return self.subcategory_alias.get(key)

    def scope_labels(self, categories: list[str], subcategories: list[str]) -> tuple[list[str], list[str]]:
        """Canonical (categories, subcategories) for the labels a user wrote in a scope, the same for a command's
        options and a published file: a subcategory written as a category (集中采购) narrows to it, and a
        subcategory is looked up within the one category given. Raises ValueError saying what to write."""
        found_categories: list[str] = []
        found_subcategories: list[str] = []
        for label in categories:
            category = self.category(label)
            if category is None and (pair := self.subcategory(label)):  # 集中采购 given as a category
                category = pair[0]
                found_subcategories.append(pair[1])
            if category is None:
                raise ValueError(f"unknown category {label!r}; use one of {', '.join(self.category_labels.values())} "
                                 "(or their canonical names), or add it to the categories file")
            found_categories.append(category)
        within = found_categories[0] if len(set(found_categories)) == 1 else None
        for label in subcategories:
            pair = self.subcategory(label, within)
            if pair is None:
                raise ValueError(f"unknown subcategory {label!r}; use one of its names (e.g. 房屋建筑, 集中采购, "
                                 "采矿权), or add it to the categories file")
            found_subcategories.append(pair[1])
        return list(dict.fromkeys(found_categories)), list(dict.fromkeys(found_subcategories))

    def status(self, label: str) -> str | None:
        key = normalise_label(label)
        return self.status_alias.get(key) or self.status_alias.get(key.lower())

    def label(self, category: str) -> str:
        return self.category_labels.get(category, category)

    def from_code(self, code: str) -> tuple[str, str] | None:
        """National project-type code inside a 标段编号: 'XSA070002-…' → (construction, 水利)."""
        match = re.match(r"^[A-Z]{0,4}?(A\d{2})\d", normalise_label(code).upper())
        return self.codes.get(match[1]) if match else None


@cache
def vocabulary() -> Vocabulary:
    text = resources.files("ggzy").joinpath("data/categories.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    vocab = Vocabulary()
    for canonical, spec in data["categories"].items():
        vocab.category_labels[canonical] = spec["label"]
        for alias in [canonical, spec["label"], *spec.get("aliases", [])]:
            vocab.category_alias[normalise_label(alias)] = canonical
        vocab.subcategories[canonical] = list(spec.get("subcategories") or {})
        for sub, aliases in (spec.get("subcategories") or {}).items():
            for alias in [sub, *aliases]:
                # '其他' belongs to construction's list; a category-level alias wins over it
                vocab.subcategory_alias.setdefault(normalise_label(alias), (canonical, sub))
        for code, sub in (spec.get("codes") or {}).items():
            vocab.codes[code] = (canonical, sub)
    for label, categories in (data.get("sheet_groups") or {}).items():
        vocab.sheet_groups[normalise_label(label)] = list(categories)
    for status, aliases in data["statuses"].items():
        for alias in [status, *aliases]:
            vocab.status_alias[normalise_label(alias)] = status
    return vocab
