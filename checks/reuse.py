"""PRG006: the train -> inference transformation copied instead of shared (the guide's reusability 1<->2 test)."""

from __future__ import annotations

import ast
import re
from collections import defaultdict

from checks.astutil import short_name, snippet
from checks.base import OK, Check, Evidence, Location
from checks.context import CheckContext, SourceFile
from checks.reachability import SCOPE_METRICS, measured_code, scope_findings

# pandas calls that change a column's values: a statement made of them on a named column is a cleaning or feature step
TRANSFORMS = frozenset({
    "fillna", "replace", "lower", "upper", "strip", "lstrip", "rstrip", "title", "extract", "split", "map", "astype",
    "clip", "get_dummies", "cut", "qcut", "to_numeric", "to_datetime", "where", "mask", "abs", "drop_duplicates",
    "dropna", "apply", "round", "isin",
})
INFERENCE_WORDS = re.compile(r"predict|infer|holdout|hold_out|serve|scoring|score_", re.IGNORECASE)

Signature = tuple[frozenset[str], tuple[str, ...]]


def _statements(tree: ast.Module, path: str) -> list[tuple[str, ast.stmt]]:
    """(scope, simple statement) pairs; a scope is the innermost function, or the file's module level."""
    found: list[tuple[str, ast.stmt]] = []

    def visit(node: ast.AST, scope: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, f"{path}:{child.name}")
            elif isinstance(child, ast.ClassDef):
                visit(child, scope)
            elif isinstance(child, (ast.Assign, ast.AugAssign, ast.Expr, ast.Return)):
                found.append((scope, child))
            elif isinstance(child, ast.stmt):
                visit(child, scope)

    visit(tree, f"{path}:<module>")
    return found


def transformation_signature(stmt: ast.stmt) -> Signature | None:
    """The columns a statement indexes by name and the value-changing calls it makes, when it has both."""
    columns: set[str] = set()
    calls: set[str] = set()
    for node in ast.walk(stmt):
        if isinstance(node, ast.Call) and (name := short_name(node)) in TRANSFORMS:
            calls.add(name)
        elif (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant)
              and isinstance(node.slice.value, str)):
            columns.add(node.slice.value)
    return (frozenset(columns), tuple(sorted(calls))) if columns and calls else None


def _is_inference(scope: str) -> bool:
    return bool(INFERENCE_WORDS.search(scope))


def copied_transformations(sources: list[SourceFile]) -> dict[Signature, list[Location]]:
    """Column transformations written in two or more scopes, where one of the scopes prepares inference data."""
    places: dict[Signature, list[tuple[str, Location]]] = defaultdict(list)
    for src in sources:
        for scope, stmt in _statements(src.tree, src.path):
            signature = transformation_signature(stmt)
            if signature:
                places[signature].append((scope, Location(src.path, stmt.lineno, snippet(src, stmt.lineno))))
    copied = {}
    for signature, found in places.items():
        scopes = {scope for scope, _ in found}
        if len(scopes) > 1 and any(_is_inference(scope) for scope in scopes):
            copied[signature] = [location for _, location in found]
    return copied


class InferenceCopies(Check):
    code = "PRG006"
    name = "inference-copies"
    lines = ("prog.reusability",)
    summary = ("Looks for a cleaning or feature statement (named columns, a value-changing pandas call) written again "
               "in the code that prepares the inference data (a predict / holdout / inference function or module) "
               "instead of calling the training code's function or fitted pipeline.")
    rationale = ("The guide's decisive test between reusability 1 and 2: is the train -> inference transformation "
                 "shared, or copied? A copy drifts (a step fixed in training is missed at inference) even when it is "
                 "not a verbatim duplicate.")
    example = "predict.py:19 `hold['Age'] = hold['Age'].str.replace(' years', '').astype(float)`, as in clean_data."

    metrics = {"inference_copies": "column transformations written both in training code and in inference code "
                                   "(count of distinct statements)",
               **SCOPE_METRICS}

    def run(self, ctx: CheckContext) -> Evidence:
        found = measured_code(self, ctx)
        if isinstance(found, Evidence):
            return found
        sources, scope = found
        copied = copied_transformations(sources)
        locations = [location for places in copied.values() for location in places][:10]
        summary = (f"{len(copied)} column transformation(s) written again for inference instead of shared"
                   if copied else "no training transformation is re-written in the inference code")
        return self.evidence(OK, summary, metrics={"inference_copies": len(copied), **scope.metrics()},
                             locations=locations, findings=scope_findings(ctx, scope), data={"scope": scope.data()})
