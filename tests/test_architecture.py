"""The layers of docs/architecture.md, checked from the source text.

``lint-imports`` checks the same contracts in CI; these tests read the code with :mod:`ast` so
that imports placed inside functions count, and they hold the size limits of the layout.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "equivmetrics"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {
    _module_name(path): path
    for path in sorted(PACKAGE.rglob("*.py"))
    if "conversions" not in path.relative_to(PACKAGE).parts
}


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for child in ast.walk(node))
    return skipped


def _imported(module: str, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """The package's modules an import statement names (a name may be a submodule)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    if node.level:
        base = module.split(".")
        if MODULES[module].name != "__init__.py":
            base.pop()
        base = base[: len(base) - node.level + 1]
        target = ".".join([*base, node.module] if node.module else base)
    else:
        target = node.module or ""
    for alias in node.names:
        submodule = f"{target}.{alias.name}"
        yield submodule if submodule in MODULES else target


def _graph(*, type_only_too: bool = False) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = set() if type_only_too else _type_checking_nodes(tree)
        targets = graph.setdefault(module, set())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in skipped:
                targets.update(t for t in _imported(module, node) if t in MODULES and t != module)
    return graph


GRAPH = _graph()


def _layers() -> list[list[str]]:
    """The layers of the import-linter contract in pyproject.toml, lowest first."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (layers,) = [c["layers"] for c in contracts if c["type"] == "layers"]
    return [[f"equivmetrics.{name.strip()}" for name in layer.split("|")] for layer in layers][::-1]


def _layer_of(module: str, layers: list[list[str]]) -> int | None:
    for index, layer in enumerate(layers):
        if any(module == top or module.startswith(top + ".") for top in layer):
            return index
    return None


def test_every_module_belongs_to_a_layer() -> None:
    layers = _layers()
    outside = {
        m
        for m in MODULES
        if _layer_of(m, layers) is None
        and m not in ("equivmetrics", "equivmetrics.__main__", "equivmetrics._version")
    }
    assert outside == set(), "add these modules to a layer in pyproject.toml"


def test_no_import_climbs_a_layer() -> None:
    layers = _layers()
    climbing = []
    for module, targets in GRAPH.items():
        here = _layer_of(module, layers)
        if here is None:
            continue
        for target in targets:
            there = _layer_of(target, layers)
            if there is not None and there > here:
                climbing.append(f"{module} -> {target}")
    assert climbing == []


#: With the imports under ``if TYPE_CHECKING:``: a cycle of types is a design knot too.
TYPED_GRAPH = _graph(type_only_too=True)


@pytest.mark.parametrize("graph", [GRAPH, TYPED_GRAPH], ids=["running", "with type imports"])
def test_no_import_cycles(graph: dict[str, set[str]]) -> None:
    """Tarjan's strongly connected components: every one must be a single module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    assert cycles == []


def test_the_checks_see_imports_inside_functions() -> None:
    """The graph counts an import placed in a function body (a climb would not hide there)."""
    tree = ast.parse("def f():\n    from equivmetrics._api import load\n")
    (node,) = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert list(_imported("equivmetrics._core.units", node)) == ["equivmetrics._api.load"]
    assert "equivmetrics._engine.core" in GRAPH["equivmetrics._api.engine"]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_small(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{module}: {lines} lines; split it along its concepts"


def test_functions_stay_short() -> None:
    long = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                size = node.end_lineno - node.lineno + 1
                if size > MAX_FUNCTION_LINES:
                    long.append(f"{module}.{node.name}: {size} lines")
    assert long == []
