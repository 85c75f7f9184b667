"""The words of the trade (categories, subcategories, statuses, header synonyms, region aliases), loaded
from the shipped ``data/`` files merged with the user's own in a ``ggzy.d/`` folder.

Users extend the vocabularies without editing the installed package: ``ggzy.d/`` beside the SQLite ledger,
``ggzy.d/`` in the current folder, or ``~/.config/ggzy/`` (``$XDG_CONFIG_HOME/ggzy``) — or the folder named by
``GGZY_VOCAB_DIR``, which replaces those. Each may hold ``categories.yaml``, ``headers.yaml``,
``regions.yaml`` and ``profiles/*.yaml``; their entries are added to the shipped ones (README "Your own words").
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from ggzy.errors import InputError

_LEDGER_FOLDER: list[Path] = []  # the SQLite ledger's folder, when the command knows it


def use_ledger(url: str | None) -> None:
    """Look for ``ggzy.d/`` beside the ledger too (SQLite only; the default ledger is ./ggzy.db)."""
    _LEDGER_FOLDER.clear()
    if url and url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        _LEDGER_FOLDER.append(Path(url.removeprefix("sqlite:///")).resolve().parent)


def user_dirs() -> tuple[Path, ...]:
    """The user's vocabulary folders that exist, most specific first."""
    if env := os.environ.get("GGZY_VOCAB_DIR"):
        return (Path(env),) if Path(env).is_dir() else ()
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "ggzy"
    found: list[Path] = []
    for folder in (*(f / "ggzy.d" for f in _LEDGER_FOLDER), Path.cwd() / "ggzy.d", config):
        if folder.is_dir() and folder.resolve() not in [f.resolve() for f in found]:
            found.append(folder)
    return tuple(found)


def user_place(name: str) -> str:
    """Where a user adds to a vocabulary file, for error messages: the first user folder, or the default."""
    dirs = user_dirs()
    if dirs:
        return str(dirs[0] / name)
    return f"ggzy.d/{name} (beside the ledger, or ~/.config/ggzy/{name})"


def _user_files(name: str) -> tuple[tuple[str, float], ...]:
    """(path, mtime) of every user file called ``name``: the cache key of the merged vocabulary."""
    files = [d / name for d in reversed(user_dirs())]  # the most specific is merged last: it wins
    return tuple((str(f), f.stat().st_mtime) for f in files if f.is_file())


def _load_user(path: str) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", -1) + 1
        raise InputError(f"{path}:{line}: not valid YAML; check indentation and colons") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}:1: a vocabulary file is a mapping (see README \"Your own words\")")
    return data

#: the groupings a user names (`rates --by`, the web view) → the record column each groups by
GROUP_COLUMNS = {"category": "category", "subcategory": "subcategory", "region": "region", "month": "period"}
STATUSES = ("deal", "failed", "terminated", "suspended")
STATUS_LABELS = {"deal": "成交", "failed": "流标/流拍", "terminated": "终止", "suspended": "中止/延期"}


@cache
def _to_simplified() -> Any:
    import opencc  # only when a word is not found as written (12 ms)

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """A word in traditional characters (a mirror page, a Hong Kong or Taiwan form) in simplified ones:
    '預算金額(萬元)' → '预算金额(万元)'; plain ASCII is returned as is."""
    return _to_simplified().convert(text) if text and not text.isascii() else text


def normalise_label(text: str) -> str:
    """NFKC, no spaces, ASCII brackets: '房屋建筑 工程（A01）' → '房屋建筑工程(A01)'."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


@dataclass
class Vocabulary:
    """Lookup tables built from the categories data file."""

    category_labels: dict[str, str] = field(default_factory=dict)  # canonical → 中文
    category_alias: dict[str, str] = field(default_factory=dict)  # alias → canonical
    subcategories: dict[str, list[str]] = field(default_factory=dict)  # canonical → [子类]
    exhaustive: set[str] = field(default_factory=set)  # categories every record of which is of a subcategory
    subcategory_alias: dict[str, tuple[str, str]] = field(default_factory=dict)  # alias → (cat, sub)
    codes: dict[str, tuple[str, str]] = field(default_factory=dict)  # A07 → (construction, 水利)
    status_alias: dict[str, str] = field(default_factory=dict)
    sheet_groups: dict[str, list[str]] = field(default_factory=dict)  # '土地矿权' → [land, mining]
    region_alias: dict[str, str] = field(default_factory=dict)  # '北岭' → '北岭县' (the user's regions.yaml)
    levels: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # 县级 → ('not', ('市本级',))

    def in_text(self, text: str) -> tuple[str, str | None, str] | None:
        """(category, subcategory, word) named inside a longer text — a sheet name, a title line, a file
        name: '…国有建设用地使用权挂牌出让结果' → land. None when no category is named, or several are."""
        key = normalise_label(text)
        found: dict[str, tuple[str, str | None, str]] = {}
        for alias, canonical in sorted(self.category_alias.items(), key=lambda a: -len(a[0])):
            if len(alias) >= 2 and not alias.isascii() and alias in key:
                found.setdefault(canonical, (canonical, None, alias))
        for alias, (canonical, sub) in sorted(self.subcategory_alias.items(), key=lambda a: -len(a[0])):
            if len(alias) >= 3 and alias in key:
                current = found.get(canonical)
                if current is None or current[1] is None:
                    found[canonical] = (canonical, sub, alias)
        if len(found) > 1:  # '政府采购…装修工程': a two-character short form (工程, 采购) yields to a longer word
            specific = {k: v for k, v in found.items() if len(v[2]) > 2}
            found = specific if specific else found
        if len(found) != 1:
            return None
        return next(iter(found.values()))

    def category(self, label: str) -> str | None:
        """Canonical category for a label or alias, else None (a label in traditional characters too)."""
        key = normalise_label(label)
        found = self.category_alias.get(key) or self.category_alias.get(key.lower())
        if found is None and (plain := simplified(key)) != key:
            return self.category(plain)
        return found

    def subcategory(self, label: str, category: str | None = None) -> tuple[str, str] | None:
        """(category, subcategory) for a subcategory label; ``category`` disambiguates 其他."""
        key = normalise_label(label)
        if category and key in self.subcategories.get(category, []):
            return category, key
        if category:
            for alias, (cat, sub) in self.subcategory_alias.items():
                if alias == key and cat == category:
                    return cat, sub
        found = self.subcategory_alias.get(key)
        if found is None and (plain := simplified(key)) != key:
            return self.subcategory(plain, category)
        if found is None and (bare := re.sub(r"\([^()]*\)", "", key)) not in (key, ""):
            return self.subcategory(bare, category)  # '城镇住宅(地下交通服务场站用地)' is 城镇住宅's
        return found

    def nearest(self, label: str) -> str | None:
        """The known word a mistyped label is closest to, with what it names — '房屋建筑工呈' → '房屋建筑工程 =
        工程建设/房屋建筑' — for a message to suggest; None when no word is close (nothing is ever read as it)."""
        from difflib import get_close_matches

        key = normalise_label(label)
        words = {w: self.label(c) for w, c in self.category_alias.items() if not w.isascii()}
        words |= {w: f"{self.label(c)}/{sub}" for w, (c, sub) in self.subcategory_alias.items() if not w.isascii()}
        close = get_close_matches(key, list(words), n=1, cutoff=0.75) if 2 <= len(key) <= 40 else []
        return f"{close[0]} = {words[close[0]]}" if close else None

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
                                 f"(or their canonical names), or add it to {user_place('categories.yaml')}")
            found_categories.append(category)
        within = found_categories[0] if len(set(found_categories)) == 1 else None
        for label in subcategories:
            pair = self.subcategory(label, within)
            if pair is None:
                raise ValueError(f"unknown subcategory {label!r}; use one of its names (e.g. 房屋建筑, 集中采购, "
                                 f"采矿权), or add it to {user_place('categories.yaml')}")
            found_subcategories.append(pair[1])
        return list(dict.fromkeys(found_categories)), list(dict.fromkeys(found_subcategories))

    def category_of(self) -> dict[str, str]:
        """Subcategory → its category (canonical names)."""
        return {sub: category for category, subs in self.subcategories.items() for sub in subs}

    def region(self, label: str) -> str:
        """A region as the ledger names it: the user's alias applied."""
        return self.region_alias.get(normalise_label(label), label)

    def level(self, label: str) -> tuple[str, tuple[str, ...]] | None:
        """A centre level as a group of the ledger's regions: ('regions', names) or ('not', names), the names
        with the user's region aliases applied; None for a level neither data/levels.yaml nor regions.yaml has."""
        found = self.levels.get(normalise_label(label))
        return (found[0], tuple(self.region(r) for r in found[1])) if found else None

    def status(self, label: str) -> str | None:
        key = normalise_label(label)
        found = self.status_alias.get(key) or self.status_alias.get(key.lower())
        if found is None and (plain := simplified(key)) != key:
            return self.status(plain)
        return found

    def label(self, category: str) -> str:
        return self.category_labels.get(category, category)

    def from_code(self, code: str) -> tuple[str, str] | None:
        """National project-type code inside a 标段编号: 'XSA070002-…' → (construction, 水利)."""
        match = re.match(r"^[A-Z]{0,4}?(A\d{2})\d", normalise_label(code).upper())
        return self.codes.get(match[1]) if match else None


def vocabulary() -> Vocabulary:
    """The categories vocabulary: shipped, with the user's ``categories.yaml`` and ``regions.yaml`` merged."""
    return _vocabulary(_user_files("categories.yaml"), _user_files("regions.yaml"))


def _merge_categories(data: dict, extra: dict, path: str) -> None:
    """Add a user's categories file to the shipped data: aliases, subcategories, codes, statuses, sheet groups."""
    for canonical, spec in (extra.get("categories") or {}).items():
        if canonical not in data["categories"]:
            known = ", ".join(data["categories"])
            raise InputError(f"{path}: unknown category {canonical!r}; extend one of {known} "
                             "(a new category needs rules too)")
        target = data["categories"][canonical]
        spec = spec or {}
        if not isinstance(spec, dict):
            raise InputError(f"{path}: {canonical}: give aliases:, subcategories: or codes: under it")
        target["aliases"] = [*(target.get("aliases") or []), *(spec.get("aliases") or [])]
        subs = dict(target.get("subcategories") or {})
        for sub, aliases in (spec.get("subcategories") or {}).items():
            subs[sub] = [*(subs.get(sub) or []), *(aliases or [])]
        target["subcategories"] = subs
        target["codes"] = {**(target.get("codes") or {}), **(spec.get("codes") or {})}
        if "exhaustive" in spec:
            target["exhaustive"] = bool(spec["exhaustive"])
    for status, aliases in (extra.get("statuses") or {}).items():
        if status not in data["statuses"]:
            raise InputError(f"{path}: unknown status {status!r}; use one of {', '.join(data['statuses'])}")
        data["statuses"][status] = [*data["statuses"][status], *(aliases or [])]
    data.setdefault("sheet_groups", {}).update(extra.get("sheet_groups") or {})


@cache
def _vocabulary(user_categories: tuple[tuple[str, float], ...],
                user_regions: tuple[tuple[str, float], ...]) -> Vocabulary:
    text = resources.files("ggzy").joinpath("data/categories.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    for path, _mtime in user_categories:
        _merge_categories(data, _load_user(path), path)
    vocab = Vocabulary()
    levels = yaml.safe_load(resources.files("ggzy").joinpath("data/levels.yaml").read_text(encoding="utf-8"))
    _add_levels(vocab, levels.get("levels") or {}, "data/levels.yaml")
    for path, _mtime in user_regions:
        user = _load_user(path)
        aliases = user.get("aliases") or {}
        if not isinstance(aliases, dict):
            raise InputError(f"{path}: aliases: maps a name as written to the ledger's name, e.g. 北岭: 北岭县")
        vocab.region_alias.update({normalise_label(str(k)): str(v).strip() for k, v in aliases.items()})
        _add_levels(vocab, user.get("levels") or {}, path)
    for canonical, spec in data["categories"].items():
        vocab.category_labels[canonical] = spec["label"]
        for alias in [canonical, spec["label"], *spec.get("aliases", [])]:
            vocab.category_alias[normalise_label(alias)] = canonical
        vocab.subcategories[canonical] = list(spec.get("subcategories") or {})
        if spec.get("exhaustive") and vocab.subcategories[canonical]:
            vocab.exhaustive.add(canonical)
        for sub, aliases in (spec.get("subcategories") or {}).items():
            for alias in [sub, *aliases]:
                # '其他' belongs to construction's list; a category-level alias wins over it
                vocab.subcategory_alias.setdefault(normalise_label(alias), (canonical, sub))
        for code, sub in (spec.get("codes") or {}).items():
            vocab.codes[code] = (canonical, sub)
    # a word is a category's or a subcategory's, never both: 政府集中采购 as both read as all of 政府采购 in one
    # place and as its 集中采购 part in another
    if both := sorted(set(vocab.category_alias) & set(vocab.subcategory_alias)):
        yours = ", ".join(path for path, _mtime in user_categories) or "data/categories.yaml"
        raise InputError(f"{yours}: {both[0]!r} is both a category word ({vocab.category_alias[both[0]]}) and a "
                         f"subcategory word ({vocab.subcategory_alias[both[0]][1]}); keep it in one list")
    for label, categories in (data.get("sheet_groups") or {}).items():
        vocab.sheet_groups[normalise_label(label)] = list(categories)
    for status, aliases in data["statuses"].items():
        for alias in [status, *aliases]:
            vocab.status_alias[normalise_label(alias)] = status
    return vocab


def _add_levels(vocab: Vocabulary, levels: object, path: str) -> None:
    """``levels:`` of data/levels.yaml or a user's regions.yaml: a name → {regions: [...]} or {not: [...]}."""
    example = "e.g. 城区: {regions: [汉滨区, 高新区]} or 县级: {not: [市本级]}"
    if not isinstance(levels, dict):
        raise InputError(f"{path}: levels: maps a level to its regions, {example}")
    for name, spec in levels.items():
        if not isinstance(spec, dict) or len(spec) != 1 or next(iter(spec)) not in ("regions", "not") \
                or not isinstance(next(iter(spec.values())), list):
            raise InputError(f"{path}: levels: {name}: give regions: [...] or not: [...], {example}")
        kind, names = next(iter(spec.items()))
        vocab.levels[normalise_label(str(name))] = (kind, tuple(str(n).strip() for n in names))


def header_synonyms() -> dict[str, str]:
    """Normalised header text → field, from ``data/headers.yaml`` and the user's ``headers.yaml`` (which win)."""
    return _header_synonyms(_user_files("headers.yaml"))


@cache
def _header_synonyms(user_files: tuple[tuple[str, float], ...]) -> dict[str, str]:
    text = resources.files("ggzy").joinpath("data/headers.yaml").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    sources = [("data/headers.yaml", yaml.safe_load(text))] + [(p, _load_user(p)) for p, _ in user_files]
    for path, data in sources:
        for field_name, names in data.items():
            if not isinstance(names, list):
                raise InputError(f"{path}: {field_name}: give a list of header texts, e.g. [项目编号, 招标编号]")
            for name in names:
                table[re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name)))] = str(field_name)
    return table


#: the vocabulary files an import reads: shipped in ``data/`` and the user's (a missing one is skipped)
VOCABULARY_FILES = ("categories.yaml", "levels.yaml", "headers.yaml", "regions.yaml")


def fingerprint() -> str:
    """SHA-256 of every vocabulary file an import reads, shipped and the user's, in the order they are merged: a
    file already imported is read again when it changed since (a word added as a quarantine message suggests may
    let held rows post)."""
    import hashlib

    digest = hashlib.sha256()
    for name in VOCABULARY_FILES:
        shipped = resources.files("ggzy").joinpath(f"data/{name}")
        if shipped.is_file():
            digest.update(f"\x1fdata/{name}\x1f".encode() + shipped.read_bytes())
        for path, _mtime in _user_files(name):
            digest.update(f"\x1fuser/{name}\x1f".encode() + Path(path).read_bytes())
    return digest.hexdigest()
