"""Print the import graph between the grader's packages (one arrow per pair, with the count of module imports).

    python scripts/import_graph.py            # the arrows
    python scripts/import_graph.py --cycles   # packages that import each other, and module-level import cycles
                                              # (strongly connected modules); silent, exit 0, when none

The layers it must respect are the import-linter contract in pyproject.toml (`lint-imports` in the lint step).
"""

from __future__ import annotations

import collections
import sys

import grimp

TOP_LEVEL = ("grader", "checks", "sandbox")


def unit(module: str) -> str:
    """The package a module belongs to: grader.<x> for the grader's sub-packages and modules, else its top level."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "grader" and len(parts) > 1 else parts[0]


def edges() -> collections.Counter:
    graph = grimp.build_graph(*TOP_LEVEL)
    found: collections.Counter = collections.Counter()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            a, b = unit(module), unit(imported)
            if a != b:
                found[(a, b)] += 1
    return found


def module_cycles() -> list[list[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan's strongly connected sets)."""
    graph = grimp.build_graph(*TOP_LEVEL)
    imports = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in sorted(graph.modules)}
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        for other in imports[module]:
            if other not in order:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], order[other])
        if low[module] == order[module]:
            group = stack[stack.index(module):]
            del stack[stack.index(module):]
            if len(group) > 1:
                cycles.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(imports)))
    for module in imports:
        if module not in order:
            visit(module)
    return cycles


def main(argv: list[str]) -> int:
    found = edges()
    if "--cycles" not in argv:
        for a, b in sorted(found):
            print(f"{a:26} -> {b:26} {found[(a, b)]}")
        return 0
    pairs = sorted(p for p in found if (p[1], p[0]) in found)
    for a, b in pairs:
        print(f"package cycle: {a} <-> {b}")
    cycles = module_cycles()
    for group in cycles:
        print("module cycle: " + ", ".join(group))
    return 1 if pairs or cycles else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
