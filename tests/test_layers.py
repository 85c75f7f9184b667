"""The layer order of DESIGN.md "Layout", checked on the source: cli/commands → web, reports → rules, bulletins,
imports → ledger (and its migrations) → the small shared modules. Nothing imports upward and no module imports
itself back through others (imports inside functions count: a cycle hidden in a function is still a cycle)."""

from __future__ import annotations

import ast
from pathlib import Path

from support import ROOT

PACKAGES = ("commands", "web", "reports", "rules", "bulletins", "imports", "ledger", "migrations")
#: tier of each top-level module or package; a module may import its own tier or a lower one
TIERS = {
    "cli": 4, "__main__": 4, "commands": 4, "output": 4,
    "web": 3, "reports": 3,
    "rules": 2, "bulletins": 2, "imports": 2,
    "ledger": 1, "migrations": 1,
    "__init__": 0, "errors": 0, "money": 0, "periods": 0, "vocab": 0, "values": 0, "yamlfile": 0,
}


def package_modules() -> dict[str, Path]:
    """ggzy.* module name → source file, for the package at the repository root."""
    modules = {}
    for path in sorted(ROOT.glob("*.py")):
        modules[f"ggzy.{path.stem}"] = path
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(("ggzy", *(parts[:-1] if parts[-1] == "__init__" else parts)))
            modules[name] = path
    return modules


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join([*parts[: len(parts) - node.level + 1], *filter(None, [base])])
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    modules = package_modules()
    return {name: imports_of(path, name, set(modules)) for name, path in modules.items()}


def tier(module: str) -> int:
    top = module.split(".")[1] if module.count(".") else "__init__"
    assert top in TIERS, f"{module}: place its top-level name in a tier of TIERS (DESIGN.md Layout)"
    return TIERS[top]


def test_the_graph_sees_the_package() -> None:
    edges = graph()
    assert "ggzy.ledger.posting" in edges and "ggzy.ledger.chain" in edges["ggzy.ledger.posting"]
    assert "ggzy.cli" in edges and len(edges) > 50


def test_nothing_imports_upward() -> None:
    upward = sorted(f"{source} (tier {tier(source)}) imports {target} (tier {tier(target)})"
                    for source, targets in graph().items() for target in targets
                    if tier(target) > tier(source) and target != "ggzy")
    assert not upward, "\n".join(upward)


def test_no_import_cycle() -> None:
    edges = graph()
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    cycles: list[list[str]] = []

    def visit(module: str, stack: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges.get(module, ())):
            if target == "ggzy" or module == "ggzy":
                continue  # the package's own __init__ holds no imports
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target):], target])
            elif target not in state:
                visit(target, [*stack, target])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(" → ".join(cycle) for cycle in cycles)


def test_no_two_packages_import_each_other() -> None:
    """Also at the level of packages: the ledger uses the migrations (handing them its tables), never the other way
    round; reports and web, rules and imports, each pair has one direction."""
    def top(module: str) -> str:
        return module.split(".")[1] if module.count(".") else "__init__"

    edges = {(top(source), top(target)) for source, targets in graph().items() for target in targets
             if target != "ggzy" and top(source) != top(target)}
    both = sorted(f"{a} ⇄ {b}" for a, b in edges if (b, a) in edges and a < b)
    assert not both, both
