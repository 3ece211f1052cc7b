"""Evaluation metrics for the binary subscription task."""
from __future__ import annotations

import numpy as np
from sklearn.metrics import (accuracy_score, average_precision_score, confusion_matrix, f1_score,
                             precision_score, recall_score, roc_auc_score)


def classification_report_dict(y_true: np.ndarray, proba: np.ndarray, threshold: float) -> dict:
    """F1/precision/recall of the positive class at ``threshold``, plus ranking metrics.

    Also returns the F1 of the trivial "always yes" classifier, the baseline any useful
    model has to beat on an 11%-positive target (accuracy would be 89% for "always no").
    """
    y_pred = (proba >= threshold).astype(int)
    tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()
    return {
        "threshold": round(float(threshold), 4),
        "f1_yes": round(f1_score(y_true, y_pred), 4),
        "precision_yes": round(precision_score(y_true, y_pred, zero_division=0), 4),
        "recall_yes": round(recall_score(y_true, y_pred), 4),
        "roc_auc": round(roc_auc_score(y_true, proba), 4),
        "pr_auc": round(average_precision_score(y_true, proba), 4),
        "accuracy": round(accuracy_score(y_true, y_pred), 4),
        "confusion_matrix": {"tn": int(tn), "fp": int(fp), "fn": int(fn), "tp": int(tp)},
        "baseline_always_yes_f1": round(f1_score(y_true, np.ones_like(y_true)), 4),
    }
