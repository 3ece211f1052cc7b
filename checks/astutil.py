"""Small AST helpers shared by the static checks: call names, the statements of a module, imported modules."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from checks.context import SourceFile


def call_name(node: ast.Call) -> str:
    """`pd.read_sql(...)` -> "pd.read_sql"; `model.fit(...)` -> "model.fit"; unknown -> ""."""
    parts: list[str] = []
    func: ast.AST = node.func
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
    elif isinstance(func, ast.Call):
        parts.append(call_name(func) + "()")
    return ".".join(reversed(parts))


def short_name(node: ast.Call) -> str:
    """The last component of the called name: `sklearn.metrics.f1_score` -> `f1_score`."""
    return call_name(node).rsplit(".", 1)[-1]


def calls(sources: list[SourceFile]) -> Iterator[tuple[SourceFile, ast.Call]]:
    """Every call expression in the parsed sources."""
    for src in sources:
        if src.tree is None:
            continue
        for node in ast.walk(src.tree):
            if isinstance(node, ast.Call):
                yield src, node


def snippet(src: SourceFile, line: int | None) -> str:
    if not line or src.text is None:
        return ""
    lines = src.lines
    return lines[line - 1].strip()[:160] if 0 < line <= len(lines) else ""


def imported_modules(sources: list[SourceFile]) -> set[str]:
    """Every module an absolute import may load, with its parent packages: `from a.b import c` -> a, a.b, a.b.c."""
    names: set[str] = set()
    for src in sources:
        if src.tree is None:
            continue
        for node in ast.walk(src.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    names.update(_with_parents(alias.name))
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.update(_with_parents(node.module))
                names.update(f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*")
    return names


def _with_parents(dotted: str) -> list[str]:
    parts = dotted.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts) + 1)]
