"""Classification metrics and decision-threshold search."""
from __future__ import annotations

import numpy as np
from sklearn.metrics import (accuracy_score, average_precision_score, confusion_matrix, f1_score,
                             precision_score, recall_score, roc_auc_score)


def compute_metrics(y_true: np.ndarray, proba: np.ndarray, threshold: float) -> dict[str, float]:
    """Return F1, precision, recall, accuracy, ROC AUC, PR AUC and the confusion matrix counts."""
    pred = (proba >= threshold).astype(int)
    tn, fp, fn, tp = confusion_matrix(y_true, pred, labels=[0, 1]).ravel()
    return {
        "threshold": round(float(threshold), 2),
        "f1": f1_score(y_true, pred, zero_division=0),
        "precision": precision_score(y_true, pred, zero_division=0),
        "recall": recall_score(y_true, pred, zero_division=0),
        "accuracy": accuracy_score(y_true, pred),
        "roc_auc": roc_auc_score(y_true, proba),
        "pr_auc": average_precision_score(y_true, proba),
        "tn": int(tn), "fp": int(fp), "fn": int(fn), "tp": int(tp),
    }


def best_threshold(y_true: np.ndarray, proba: np.ndarray,
                   grid: tuple[float, float, float]) -> tuple[float, float]:
    """Scan the decision thresholds in ``grid`` (start, stop, step) and return the best for F1.

    The default cut-off of 0.5 is not optimal for F1 when the classes are imbalanced and the
    model uses class weights, so the threshold is treated as one more parameter.
    """
    start, stop, step = grid
    best_t, best_f1 = 0.5, -1.0
    for t in np.arange(start, stop + 1e-9, step):
        score = f1_score(y_true, (proba >= t).astype(int), zero_division=0)
        if score > best_f1:
            best_t, best_f1 = round(float(t), 2), score
    return best_t, best_f1


def baseline_always_late(y_true: np.ndarray) -> dict[str, float]:
    """Scores of the trivial model that predicts every delivery as late."""
    pred = np.ones_like(y_true)
    return {"f1": f1_score(y_true, pred), "accuracy": accuracy_score(y_true, pred)}
