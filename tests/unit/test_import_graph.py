"""No import cycles in src/spconnector, between modules or between packages.

The graph is read from the source with `ast`: every `import` counts, at module level or inside
a function (a function-level import still ties the two modules together; it only defers the
cost). Imports under `if TYPE_CHECKING:` are kept apart: they never run, so a cycle through
them is allowed (that is what they are for). A failure lists every cycle it found.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "src"
PACKAGE = "spconnector"

# Known cycles another change removes, each with the reason it is still here (none today). A
# listed cycle that no longer exists fails the test, so the list cannot go stale.
KNOWN_PACKAGE_CYCLES: frozenset[frozenset[str]] = frozenset()
KNOWN_MODULE_CYCLES: frozenset[frozenset[str]] = frozenset()


@dataclass
class ImportGraph:
    runtime: dict[str, set[str]] = field(default_factory=dict)
    type_only: dict[str, set[str]] = field(default_factory=dict)

    def add(self, source: str, target: str, *, type_only: bool) -> None:
        if target == source:
            return
        (self.type_only if type_only else self.runtime).setdefault(source, set()).add(target)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import node with whether it sits under `if TYPE_CHECKING:` (at any depth)."""

    def walk(node: ast.AST, type_only: bool) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, type_only
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                yield from walk(child, True)
            for child in node.orelse:
                yield from walk(child, type_only)
            return
        for child in ast.iter_child_nodes(node):
            yield from walk(child, type_only)

    yield from walk(tree, False)


def _targets(
    node: ast.Import | ast.ImportFrom, module: str, is_package: bool, modules: set[str]
) -> Iterable[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        anchor = module.split(".") if is_package else module.split(".")[:-1]
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join([*anchor, *([base] if base else [])])
    # `from pkg import sub` imports the submodule when there is one, else a name of pkg
    return [
        f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
        for alias in node.names
    ]


def _owner(name: str, modules: set[str]) -> str | None:
    """The module of ours an imported dotted name lands in (None: not ours)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def build_graph() -> ImportGraph:
    paths = sorted((ROOT / PACKAGE).rglob("*.py"))
    modules = {module_name(p) for p in paths}
    graph = ImportGraph()
    for path in paths:
        source = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node, type_only in _imports(tree):
            for target in _targets(node, source, path.name == "__init__.py", modules):
                owner = _owner(target, modules)
                if owner is not None:
                    graph.add(source, owner, type_only=type_only)
    return graph


def package_of(module: str) -> str:
    """spconnector.jobs.act → spconnector.jobs; a top-level module is its own package."""
    return ".".join(module.split(".")[:2])


def package_graph(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    packages: dict[str, set[str]] = {}
    for source, targets in edges.items():
        for target in targets:
            a, b = package_of(source), package_of(target)
            if a != b:
                packages.setdefault(a, set()).add(b)
    return packages


def strongly_connected(edges: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm; only the components with a cycle (more than one node)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.add(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(set(edges) | {t for ts in edges.values() for t in ts}):
        if node not in index:
            visit(node)
    return found


def one_cycle(component: set[str], edges: dict[str, set[str]]) -> list[str]:
    """A concrete path a → … → a inside a component, for the failure message."""
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        nxt_frontier = []
        for node in frontier:
            for nxt in sorted(edges.get(node, set()) & component):
                if nxt == start:
                    return [*paths[node], start]
                if nxt not in paths:
                    paths[nxt] = [*paths[node], nxt]
                    nxt_frontier.append(nxt)
        frontier = nxt_frontier
    return sorted(component)


def _describe(components: list[set[str]], edges: dict[str, set[str]]) -> str:
    return "\n".join(" → ".join(one_cycle(c, edges)) for c in components)


GRAPH = build_graph()


def test_the_graph_sees_function_level_and_type_checking_imports() -> None:
    # guards the reader itself: a graph with no edges would pass every test below
    assert "spconnector.domain" in GRAPH.runtime["spconnector.jobs.act"]
    assert "spconnector.aws.mail" in GRAPH.runtime["spconnector.jobs.act"]  # inside a function
    # handlers name the core's Simulator only for type checking (the core is handed them)
    assert "spconnector.sim.core" in GRAPH.type_only["spconnector.sim.orders"]
    assert "spconnector.sim.core" not in GRAPH.runtime["spconnector.sim.orders"]


def test_the_cycle_finder_finds_a_cycle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected(edges) == [{"a", "b", "c"}]
    assert one_cycle({"a", "b", "c"}, edges) == ["a", "b", "c", "a"]


def test_no_import_cycle_between_modules() -> None:
    cycles = strongly_connected(GRAPH.runtime)
    unknown = [c for c in cycles if frozenset(c) not in KNOWN_MODULE_CYCLES]
    assert not unknown, "import cycles between modules:\n" + _describe(unknown, GRAPH.runtime)


def test_no_import_cycle_between_packages() -> None:
    packages = package_graph(GRAPH.runtime)
    cycles = strongly_connected(packages)
    unknown = [c for c in cycles if frozenset(c) not in KNOWN_PACKAGE_CYCLES]
    assert not unknown, "import cycles between packages:\n" + _describe(unknown, packages)


@pytest.mark.parametrize(
    "known", sorted(KNOWN_PACKAGE_CYCLES, key=sorted), ids=lambda c: "↔".join(sorted(c))
)
def test_every_known_package_cycle_still_exists(known: frozenset[str]) -> None:
    cycles = {frozenset(c) for c in strongly_connected(package_graph(GRAPH.runtime))}
    assert known in cycles, f"{sorted(known)} is no longer a cycle: drop it from the list"


@pytest.mark.parametrize(
    "known", sorted(KNOWN_MODULE_CYCLES, key=sorted), ids=lambda c: "↔".join(sorted(c))
)
def test_every_known_module_cycle_still_exists(known: frozenset[str]) -> None:
    cycles = {frozenset(c) for c in strongly_connected(GRAPH.runtime)}
    assert known in cycles, f"{sorted(known)} is no longer a cycle: drop it from the list"
