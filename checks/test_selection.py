"""SPL002: a model, setting or threshold chosen with the test split's labels (the guide's prep.split trap)."""

from __future__ import annotations

import ast
import re

from checks.astutil import short_name, snippet
from checks.base import OK, Check, Evidence, Location
from checks.context import CheckContext

TEST_NAME = re.compile(r"(^|_)test(_|$)|^test|test$", re.IGNORECASE)
# cross-validation's own result names (cv_results_["mean_test_score"]) and validation splits are not the test split
NOT_TEST = re.compile(r"val|cv|(rank|mean|std)_test|split\d+_test", re.IGNORECASE)
CHOOSER = re.compile(r"best|tune|optim|select|choose|pick|search", re.IGNORECASE)
PICKERS = ("max", "min", "sorted")


def _is_test(name: str) -> bool:
    return bool(TEST_NAME.search(name)) and not NOT_TEST.search(name)


def _words(node: ast.AST) -> list[str]:
    """The names, attributes and string constants an expression mentions."""
    found = []
    for part in ast.walk(node):
        if isinstance(part, ast.Name):
            found.append(part.id)
        elif isinstance(part, ast.Attribute):
            found.append(part.attr)
        elif isinstance(part, ast.Constant) and isinstance(part.value, str):
            found.append(part.value)
    return found


def _test_labels_given(call: ast.Call) -> bool:
    """The call receives the test split's labels (y_test, y_te...) as an argument."""
    values = list(call.args) + [k.value for k in call.keywords]
    return any(isinstance(v, ast.Name) and _is_test(v.id) and v.id.lower().startswith("y") for v in values)


def selection_on_test(node: ast.AST) -> str | None:
    """What kind of choice on the test split a node makes, if any."""
    if isinstance(node, ast.Call):
        name = short_name(node)
        if name in PICKERS and any(k.arg == "key" and any(map(_is_test, _words(k.value))) for k in node.keywords):
            return f"{name}() keyed on a test-split score"
        if name not in PICKERS and CHOOSER.search(name) and _test_labels_given(node):
            return f"{name}() given the test split's labels"
    if (isinstance(node, ast.Compare) and len(node.ops) == 1
            and isinstance(node.ops[0], (ast.Gt, ast.Lt, ast.GtE, ast.LtE))
            and any(map(_is_test, _words(node.left)))
            and any("best" in word.lower() for word in _words(node.comparators[0]))):
        return "a test-split score compared with the best so far"
    return None


class SelectionOnTest(Check):
    code = "SPL002"
    name = "selection-on-test"
    lines = ("prep.split",)
    summary = ("Looks for a choice made with the test split: max/min/sorted keyed on a test score, a function that "
               "picks, tunes or finds the best (threshold, model, setting) given the test labels, or a test score "
               "compared with the best so far.")
    rationale = ("Train-test-validate splitting 1 in the guide: models or settings chosen on the test part leave no "
                 "unbiased estimate (a threshold tuned on the test split is one of its traps).")
    example = "best = max(results, key=lambda k: results[k]['test_f1']); thr = find_best_threshold(y_test, proba)"

    metrics = {"test_selection_sites": "places where a model, setting or threshold is chosen with the test split "
                                       "(count)"}

    def run(self, ctx: CheckContext) -> Evidence:
        empty = self.without_code(ctx)
        if empty:
            return empty
        found: list[Location] = []
        for src in ctx.sources:
            if src.tree is None:
                continue
            for node in ast.walk(src.tree):
                kind = selection_on_test(node)
                if kind:
                    found.append(Location(src.path, node.lineno, f"{kind}: {snippet(src, node.lineno)}"))
        summary = (f"{len(found)} choice(s) made with the test split, first at {found[0]}" if found
                   else "no choice is made with the test split's labels")
        return self.evidence(OK, summary, metrics={"test_selection_sites": len(found)}, locations=found[:8])
