"""MET001, Annex A1 section 4: the evaluation metrics the pipeline computes."""

from __future__ import annotations

import ast
import re

from checks.astutil import calls, short_name, snippet
from checks.base import OK, Check, Location
from checks.context import CheckContext, SourceFile

IMBALANCE_METRICS = {"f1_score", "precision_score", "recall_score", "roc_auc_score", "classification_report",
                     "average_precision_score", "fbeta_score", "precision_recall_curve", "balanced_accuracy_score",
                     "confusion_matrix", "matthews_corrcoef"}
# a name or key that holds accuracy (acc, val_acc, best_accuracy, "accuracy"), not balanced accuracy
ACCURACY_NAME = re.compile(r"^(?!.*balanced)(.*_)?acc(uracy)?(_.*)?$", re.I)
PICKERS = {"max", "min", "sorted", "sort_values", "nlargest", "nsmallest", "idxmax", "idxmin", "argmax", "argmin",
           "sort"}
CONFIG_ACCURACY = re.compile(r"""^\s*["']?(scoring|refit|selection_metric|select_on|primary_metric)["']?\s*"""
                             r"""[:=]\s*["']?accuracy\b""", re.I | re.M)


class EvaluationMetrics(Check):
    code = "MET001"
    name = "evaluation-metrics"
    lines = ("model.metrics",)
    summary = ("Which evaluation metrics the pipeline computes: metrics that suit an imbalanced class target "
               "(F1, precision, recall, ROC AUC, confusion matrix) versus accuracy alone.")
    rationale = ("Evaluation metrics asks for suitable metrics; with a rare class, accuracy alone rewards "
                 "predicting the most common class for everything.")
    example = "print(accuracy_score(y_test, pred)) and nothing else: accuracy_only, no imbalance-aware metric."

    metrics = {"metric_kinds": "distinct imbalance-aware metrics computed (count)",
               "imbalance_aware": "some metric suits an imbalanced target (F1, precision, recall, AUC...)",
               "accuracy_only": "accuracy is the only metric computed",
               "tuned_scoring": "a `scoring=` argument picks the metric a search or CV optimises",
               "accuracy_selection": "places where accuracy chooses between models or settings: scoring='accuracy', "
                                     "a comparison, sort or max over accuracy values, a config naming accuracy "
                                     "as the selection metric (count)"}

    def run(self, ctx: CheckContext):
        empty = self.without_code(ctx)
        if empty:
            return empty
        kinds: dict[str, Location] = {}
        for src, node in calls(ctx.sources):
            name = short_name(node)
            if (name in IMBALANCE_METRICS or name == "accuracy_score") and name not in kinds:
                kinds[name] = Location(src.path, node.lineno, snippet(src, node.lineno))
            for keyword in node.keywords:
                if keyword.arg == "scoring" and "scoring" not in kinds:
                    kinds["scoring"] = Location(src.path, node.lineno, snippet(src, node.lineno))
        imbalance = sorted(set(kinds) & IMBALANCE_METRICS)
        accuracy_only = not imbalance and "accuracy_score" in kinds
        chosen = accuracy_choices(ctx.sources, ctx.config_files)
        return self.evidence(
            OK,
            f"metrics computed: {', '.join(sorted(kinds)) or 'none'}"
            + (" (accuracy alone on an imbalanced target)" if accuracy_only else "")
            + (f"; accuracy chooses between models or settings at {len(chosen)} place(s)" if chosen else ""),
            metrics={"metric_kinds": len(imbalance), "imbalance_aware": bool(imbalance),
                     "accuracy_only": accuracy_only, "tuned_scoring": "scoring" in kinds,
                     "accuracy_selection": len(chosen)},
            locations=list(kinds.values()) + chosen,
            confidence=0.7,
            data={"metrics": sorted(k for k in kinds if k != "scoring")},
        )


def accuracy_choices(sources: list[SourceFile], configs: dict[str, str] | None = None) -> list[Location]:
    """Where accuracy decides which model or setting wins (a search's scoring, a comparison, a sort or max)."""
    found: dict[tuple[str, int], Location] = {}
    for src in sources:
        if src.tree is None:
            continue
        scopes = [n for n in ast.walk(src.tree) if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef))]
        nodes = [n for n in ast.walk(src.tree) if _chooses_on_accuracy(n)]
        nodes += [call for scope in scopes for call in _picks_from_accuracy_dict(scope)]
        for node in nodes:
            found.setdefault((src.path, node.lineno), Location(src.path, node.lineno,
                                                               "accuracy decides: " + snippet(src, node.lineno)))
    for rel, text in (configs or {}).items():
        for match in CONFIG_ACCURACY.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.setdefault((rel, line), Location(rel, line, "accuracy decides: " + match.group(0).strip()))
    return list(found.values())


def _mentions_accuracy(node: ast.AST) -> bool:
    for sub in ast.walk(node):
        text = sub.id if isinstance(sub, ast.Name) else sub.attr if isinstance(sub, ast.Attribute) else \
            sub.value if isinstance(sub, ast.Constant) and isinstance(sub.value, str) else None
        if text and ACCURACY_NAME.match(text):
            return True
    return False


def _chooses_on_accuracy(node: ast.AST) -> bool:
    """scoring='accuracy', `acc > best_acc`, or a sort / max keyed on accuracy."""
    if isinstance(node, ast.Call):
        for keyword in node.keywords:
            if keyword.arg in ("scoring", "refit") and isinstance(keyword.value, ast.Constant) \
                    and keyword.value.value == "accuracy":
                return True
        if short_name(node) in PICKERS:
            keyed = list(node.args) + [k.value for k in node.keywords if k.arg in ("key", "by", "columns")]
            return any(not isinstance(a, ast.Name) and _mentions_accuracy(a) for a in keyed) \
                or (isinstance(node.func, ast.Attribute) and _mentions_accuracy(node.func.value))
    if isinstance(node, ast.Compare) and all(isinstance(op, (ast.Gt, ast.GtE, ast.Lt, ast.LtE)) for op in node.ops):
        sides = [node.left, *node.comparators]
        return not any(isinstance(side, ast.Constant) for side in sides) and all(map(_mentions_accuracy, sides))
    return False


def _picks_from_accuracy_dict(scope: ast.AST) -> list[ast.Call]:
    """`scores[name] = acc` then `max(scores, key=scores.get)`: the winner is picked on accuracy."""
    filled = {t.value.id for node in ast.walk(scope) if isinstance(node, ast.Assign) and _mentions_accuracy(node.value)
              for t in node.targets if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name)}
    return [node for node in ast.walk(scope) if isinstance(node, ast.Call) and short_name(node) in PICKERS
            and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in filled]
