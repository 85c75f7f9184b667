"""YAML for user files (rule files, published figures): every mapping knows its line, and scalars
stay text exactly as written, so `3063.40` keeps its two decimals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from ggzy.errors import InputError


class LineDict(dict[str, Any]):
    """A mapping that remembers the 1-based line it started on, and the lines of its keys."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    line: int = 0


class _TextLoader(yaml.SafeLoader):
    """Safe loading where every scalar is a str (no implicit floats, dates or booleans)."""


def _construct_mapping(loader: _TextLoader, node: yaml.MappingNode) -> LineDict:
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(None, None, "keys must be text", key_node.start_mark)
        if key in mapping:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _TextLoader, node: yaml.SequenceNode) -> LineList:
    items = LineList(loader.construct_object(child, deep=True) for child in node.value)
    items.line = node.start_mark.line + 1
    return items


def _construct_scalar(loader: _TextLoader, node: yaml.ScalarNode) -> str | None:
    value = loader.construct_scalar(node)
    if node.tag == "tag:yaml.org,2002:null" and value in ("", "~", "null", "Null", "NULL"):
        return None
    return str(value)


_TextLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_TextLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
for _tag in ("str", "int", "float", "bool", "null", "timestamp"):
    _TextLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _construct_scalar)


class _TypedLoader(yaml.SafeLoader):
    """Safe loading with YAML's own scalar types (numbers for expectation arguments), lines kept."""


_TypedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_TypedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_text_yaml(path: Path, what: str, typed: bool = False) -> Any:
    """Load a user YAML file (scalars as text unless ``typed``); a syntax error becomes InputError naming
    file:line and the fix."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: {what} not found; check the path") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: {what} is not UTF-8 text; save it as UTF-8") from None
    except OSError as exc:
        raise InputError(f"{path}: {what} cannot be read ({exc.strerror})") from None
    try:
        return yaml.load(text, Loader=_TypedLoader if typed else _TextLoader)  # both are SafeLoaders
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"{path}:{line}: {what} is not valid YAML ({problem}); check indentation, "
                         "colons and brackets on that line") from None


def find_user_file(name: str | Path, shipped_dir: Path, what: str, *, relative_to: Path | None = None,
                   error: type[InputError] = InputError, line: int | None = None) -> Path:
    """A user file by path (relative to the including file, if any), else a shipped one by bare name
    (``record``, ``default.yaml``). A directory is never a file. ``line``: where ``name`` was written."""
    candidate = Path(name)
    if relative_to is not None and not candidate.is_absolute():
        candidate = relative_to.parent / candidate
    if candidate.is_file():
        return candidate
    shipped = shipped_dir / f"{Path(name).name.removesuffix('.yaml')}.yaml"
    if Path(name).parent == Path(".") and shipped.is_file():
        return shipped
    names = ", ".join(sorted(p.stem for p in shipped_dir.glob("*.yaml")))
    if relative_to is not None:
        raise error(f"{relative_to}:{line}: included {name}: {what} not found; give its path relative to this file "
                    f"or the name of a shipped one ({names})")
    raise error(f"{name}: {what} not found; give its path or the name of a shipped one ({names})")


def load_with_includes(path: Path, what: str, shipped_dir: Path, *, typed: bool = False,
                       error: type[InputError] = InputError,
                       _seen: tuple[Path, ...] = ()) -> list[tuple[Path, LineDict]]:
    """A user file and the files it includes (``include: NAME``), the innermost first: what each loader then
    reads in order, so a file overrides what it includes. Loops, a non-mapping file and an ``include:`` that
    is not one name are errors naming file:line."""
    if path.resolve() in _seen:
        raise error(f"{path}:1: include loop ({' → '.join(str(p) for p in (*_seen, path))}); remove one include")
    data = load_text_yaml(path, what, typed=typed)
    if not isinstance(data, LineDict):
        raise error(f"{path}:1: a {what} is a mapping of settings (`key: value` lines); see the shipped ones in "
                    f"{shipped_dir}")
    chain: list[tuple[Path, LineDict]] = []
    if data.get("include"):
        line = data.key_lines["include"]
        if not isinstance(data["include"], str):
            raise error(f"{path}:{line}: include: takes one file name, e.g. include: "
                        f"{sorted(p.stem for p in shipped_dir.glob('*.yaml'))[0]}")
        included = find_user_file(data["include"], shipped_dir, what, relative_to=path, error=error, line=line)
        chain = load_with_includes(included, what, shipped_dir, typed=typed, error=error,
                                   _seen=(*_seen, path.resolve()))
    return [*chain, (path, data)]
