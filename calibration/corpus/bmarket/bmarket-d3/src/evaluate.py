"""Metrics and decision threshold."""
import logging
from typing import Dict

import numpy as np
from sklearn.metrics import (accuracy_score, average_precision_score, confusion_matrix, f1_score,
                             precision_score, recall_score, roc_auc_score)

logger = logging.getLogger(__name__)


def find_threshold(y_true: np.ndarray, proba: np.ndarray) -> float:
    """Threshold that maximises F1 of the positive class (searched on validation data)."""
    grid = np.linspace(0.05, 0.95, 91)
    scores = [f1_score(y_true, (proba >= t).astype(int), zero_division=0) for t in grid]
    return float(grid[int(np.argmax(scores))])


def compute_metrics(y_true: np.ndarray, proba: np.ndarray, threshold: float) -> Dict[str, float]:
    """Classification metrics for the positive class at the given threshold."""
    pred = (proba >= threshold).astype(int)
    return {
        "f1": f1_score(y_true, pred, zero_division=0),
        "precision": precision_score(y_true, pred, zero_division=0),
        "recall": recall_score(y_true, pred, zero_division=0),
        "roc_auc": roc_auc_score(y_true, proba),
        "pr_auc": average_precision_score(y_true, proba),
        "accuracy": accuracy_score(y_true, pred),
    }


def log_metrics(title: str, metrics: Dict[str, float]) -> None:
    logger.info("%s: %s", title, ", ".join(f"{k}={v:.4f}" for k, v in metrics.items()))


def log_confusion(y_true: np.ndarray, proba: np.ndarray, threshold: float) -> None:
    tn, fp, fn, tp = confusion_matrix(y_true, (proba >= threshold).astype(int)).ravel()
    logger.info("Confusion matrix: TN=%d FP=%d FN=%d TP=%d", tn, fp, fn, tp)
