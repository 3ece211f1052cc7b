"""MET001, Annex A1 section 4: the evaluation metrics the pipeline computes."""

from __future__ import annotations

from checks.astutil import calls, short_name, snippet
from checks.base import OK, Check, Location
from checks.context import CheckContext

IMBALANCE_METRICS = {"f1_score", "precision_score", "recall_score", "roc_auc_score", "classification_report",
                     "average_precision_score", "fbeta_score", "precision_recall_curve", "balanced_accuracy_score",
                     "confusion_matrix", "matthews_corrcoef"}


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
