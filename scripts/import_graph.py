"""Print the import graph between the grader's packages (one arrow per pair, with the count of module imports).

    python scripts/import_graph.py            # the arrows
    python scripts/import_graph.py --cycles   # only the pairs that import each other (should print nothing)

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


def main(argv: list[str]) -> int:
    found = edges()
    pairs = sorted(found) if "--cycles" not in argv else sorted(p for p in found if (p[1], p[0]) in found)
    for a, b in pairs:
        print(f"{a:26} -> {b:26} {found[(a, b)]}")
    return 1 if "--cycles" in argv and pairs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
