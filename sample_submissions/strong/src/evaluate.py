"""Metrics for an imbalanced binary target and decision-threshold tuning.

Only 23% of deliveries are late, so accuracy alone is misleading (predicting
"on time" for everything scores 77%).  The primary metric is the F1 score of
the positive class; precision, recall, ROC AUC, PR AUC and the confusion
matrix are reported alongside it.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)

logger = logging.getLogger(__name__)


def classification_metrics(
    y_true: np.ndarray, proba: np.ndarray, threshold: float
) -> dict[str, Any]:
    """Compute every reported metric for probabilities cut at ``threshold``.

    Returns a JSON-serialisable dict with F1, precision, recall, accuracy,
    ROC AUC, average precision (PR AUC), the threshold and the confusion
    matrix as ``{"tn", "fp", "fn", "tp"}``.
    """
    y_pred = (proba >= threshold).astype(int)
    tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()
    return {
        "threshold": round(float(threshold), 4),
        "f1": round(float(f1_score(y_true, y_pred, zero_division=0)), 4),
        "precision": round(float(precision_score(y_true, y_pred, zero_division=0)), 4),
        "recall": round(float(recall_score(y_true, y_pred, zero_division=0)), 4),
        "accuracy": round(float(accuracy_score(y_true, y_pred)), 4),
        "roc_auc": round(float(roc_auc_score(y_true, proba)), 4),
        "pr_auc": round(float(average_precision_score(y_true, proba)), 4),
        "confusion_matrix": {"tn": int(tn), "fp": int(fp), "fn": int(fn), "tp": int(tp)},
    }


def tune_threshold(
    y_true: np.ndarray, proba: np.ndarray, grid: tuple[float, float, float]
) -> tuple[float, float]:
    """Return the probability cut-off in ``grid`` that maximises F1, and that F1.

    Must be called on validation predictions, never on the test split, or the
    test score would be optimistically biased.  Ties are broken towards the
    threshold closest to 0.5, which is the least surprising choice.
    """
    start, stop, step = grid
    thresholds = np.round(np.arange(start, stop + step / 2, step), 4)
    scores = np.array(
        [f1_score(y_true, (proba >= t).astype(int), zero_division=0) for t in thresholds]
    )
    best_score = scores.max()
    tied = thresholds[np.isclose(scores, best_score)]
    best_threshold = float(tied[np.argmin(np.abs(tied - 0.5))])
    return best_threshold, float(best_score)


def log_metrics(title: str, metrics: dict[str, Any]) -> None:
    """Write a one-line summary of a metrics dict to the log."""
    cm = metrics["confusion_matrix"]
    logger.info(
        "%s: F1=%.3f precision=%.3f recall=%.3f ROC-AUC=%.3f accuracy=%.3f "
        "(threshold %.2f; TN=%d FP=%d FN=%d TP=%d)",
        title,
        metrics["f1"],
        metrics["precision"],
        metrics["recall"],
        metrics["roc_auc"],
        metrics["accuracy"],
        metrics["threshold"],
        cm["tn"],
        cm["fp"],
        cm["fn"],
        cm["tp"],
    )
