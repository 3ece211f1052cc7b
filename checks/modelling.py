"""Annex A1 section 4, model design and development: scoping, models, metrics, tuning."""

from __future__ import annotations

import ast
import re

from checks.astutil import calls, short_name, snippet
from checks.base import OK, Check, Location
from checks.context import CheckContext
from checks.mlnames import CV_CALLS, ESTIMATOR

SEARCH_CALLS = {"GridSearchCV", "RandomizedSearchCV", "HalvingGridSearchCV", "HalvingRandomSearchCV",
                "create_study", "BayesSearchCV", "ParameterGrid", "ParameterSampler"}
IMBALANCE_METRICS = {"f1_score", "precision_score", "recall_score", "roc_auc_score", "classification_report",
                     "average_precision_score", "fbeta_score", "precision_recall_curve", "balanced_accuracy_score",
                     "confusion_matrix", "matthews_corrcoef"}


class ModelsCompared(Check):
    code = "MOD001"
    name = "models-compared"
    lines = ("model.tuning", "model.training")
    summary = ("Counts the distinct estimator classes the pipeline instantiates from an established framework "
               "(scikit-learn, XGBoost, LightGBM) and whether hyper-parameters are searched with cross-validation.")
    rationale = ("Model training asks for an appropriate model built with an established framework; parameter "
                 "tuning asks for different parameters and architectures compared. The paper asks for at least "
                 "the pack's minimum number of models.")
    example = "LogisticRegression and RandomForestClassifier each inside GridSearchCV(cv=5): 2 models, searched."

    metrics = {"models": "distinct estimator classes used (count)",
               "min_models": "models the paper asks for (the pack's minimum, count)",
               "enough_models": "models >= min_models",
               "search": "hyper-parameters are searched (grid, random, optuna...)",
               "cross_validated": "cross-validation is used"}

    def run(self, ctx: CheckContext):
        empty = self.without_code(ctx)
        if empty:
            return empty
        models = _estimators(ctx)
        search = cross_validated = False
        locations: list[Location] = []
        for src, node in calls(ctx.sources):
            name = short_name(node)
            if name in SEARCH_CALLS:
                search = True
                locations.append(Location(src.path, node.lineno, "search: " + snippet(src, node.lineno)))
            if name in CV_CALLS:
                cross_validated = True
        minimum = int(ctx.settings.get("min_models", 2))
        return self.evidence(
            OK,
            f"{len(models)} model class(es) ({', '.join(sorted(models)) or 'none'}); the paper asks for {minimum}; "
            f"{'hyper-parameter search' if search else 'no hyper-parameter search'}"
            f"{' with cross-validation' if cross_validated else ''}",
            metrics={"models": len(models), "min_models": minimum, "enough_models": len(models) >= minimum,
                     "search": search, "cross_validated": cross_validated},
            locations=list(models.values()) + locations[:4],
            data={"models": sorted(models)},
            confidence=0.7,
        )


def _estimators(ctx: CheckContext) -> dict[str, Location]:
    """Each estimator class the code references, at its first reference.

    A class referenced in code (called, or kept in a registry dict that is called afterwards) counts; an import
    alone does not (imports are not Name nodes)."""
    models: dict[str, Location] = {}
    for src in ctx.sources:
        for node in ast.walk(src.tree) if src.tree is not None else ():
            name = node.id if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) else (
                node.attr if isinstance(node, ast.Attribute) else "")
            if name and ESTIMATOR.match(name) and name not in models:
                models[name] = Location(src.path, node.lineno, snippet(src, node.lineno))
    return models


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
               "tuned_scoring": "a `scoring=` argument picks the metric a search or CV optimises"}

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
        return self.evidence(
            OK,
            f"metrics computed: {', '.join(sorted(kinds)) or 'none'}"
            + (" (accuracy alone on an imbalanced target)" if accuracy_only else ""),
            metrics={"metric_kinds": len(imbalance), "imbalance_aware": bool(imbalance),
                     "accuracy_only": accuracy_only, "tuned_scoring": "scoring" in kinds},
            locations=list(kinds.values()),
            confidence=0.7,
            data={"metrics": sorted(k for k in kinds if k != "scoring")},
        )


SCOPING_PATTERNS = {
    "objective": r"\b(predict\w*|classif\w*|objective|goal|problem statement)\b",
    "assumptions": r"\b(assum\w*|consideration\w*|limitation\w*|caveat\w*)\b",
    "imbalance": (r"\b(imbalanc\w*|minority|class weight\w*|class balance|skew\w*|\d{1,2}(?:\.\d+)?\s?%\s+"
                  r"(?:of\s+(?:the\s+)?)?(?:rows|samples|records|observations|cases|positives?|negatives?|class\w*))"),
    "metric_choice": (r"\b(f1|recall|precision|roc|auc|macro|balanced accuracy|rmse|mae|r2|r²"
                      r"|mean (?:absolute|squared))"),
}


SCOPING_HEADING = re.compile(r"^\s*(#{1,4}|\*\*)[^\n]{0,40}\b(objective|scop(e|ing)|problem( statement| framing| "
                             r"definition)|assumptions?|business (goal|problem|context))\b", re.I | re.M)


class ReadmeScoping(Check):
    code = "DOC002"
    name = "readme-scoping"
    lines = ("model.scoping",)
    summary = ("Reads the README for the modelling objective, the assumptions and considerations, the class "
               "imbalance and why the metric fits the problem.")
    rationale = ("Problem scoping asks for the modelling objective defined from the problem statement and the "
                 "assumptions listed. Its quality needs a person: the check finds what is there to read.")
    example = ("'We predict `target` = 1 for each new row; the positive class is rare, so F1 over accuracy; we "
               "assume only data known at prediction time.'")

    metrics = {"scoping_points": "README scoping points found, 0-4 (objective, assumptions, imbalance, metric choice)",
               "scoping_section": "the README has a section headed for the problem: objective, scope, problem "
                                  "statement, assumptions or considerations"}

    def run(self, ctx: CheckContext):
        text = ctx.read_text(ctx.readme) if ctx.readme else None
        if not text or not text.strip():
            return self.evidence(OK, "no README text to scope the problem",
                                 metrics={"scoping_points": 0, "scoping_section": False})
        hits = {k: re.search(p, text, re.IGNORECASE) for k, p in SCOPING_PATTERNS.items()}
        found = [k for k, m in hits.items() if m]
        locations = []
        for key, match in hits.items():
            if match:
                line = text.count("\n", 0, match.start()) + 1
                locations.append(Location(ctx.readme, line, f"{key}: {text.splitlines()[line - 1].strip()[:120]}"))
        return self.evidence(
            OK,
            f"README scoping points found: {', '.join(found) or 'none'} (looked for {', '.join(SCOPING_PATTERNS)})",
            metrics={"scoping_points": len(found), "scoping_section": bool(SCOPING_HEADING.search(text))},
            locations=locations,
            confidence=0.4,
        )
