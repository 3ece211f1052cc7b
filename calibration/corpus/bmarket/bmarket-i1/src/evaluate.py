"""Metrics on the held-back test split, plus the trivial baselines they should beat."""
from __future__ import annotations

import logging

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


def classification_metrics(y_true: np.ndarray, proba: np.ndarray, threshold: float) -> dict[str, float]:
    """F1/precision/recall of the positive class at ``threshold`` plus threshold-free ROC AUC and PR AUC."""
    pred = (proba >= threshold).astype(int)
    tn, fp, fn, tp = confusion_matrix(y_true, pred, labels=[0, 1]).ravel()
    return {
        "f1_yes": f1_score(y_true, pred, zero_division=0),
        "precision_yes": precision_score(y_true, pred, zero_division=0),
        "recall_yes": recall_score(y_true, pred, zero_division=0),
        "roc_auc": roc_auc_score(y_true, proba),
        "pr_auc": average_precision_score(y_true, proba),
        "accuracy": accuracy_score(y_true, pred),
        "tp": int(tp), "fp": int(fp), "fn": int(fn), "tn": int(tn),
    }


def baselines(y_true: np.ndarray) -> dict[str, float]:
    """Scores of the two trivial strategies: call everybody (F1) and call nobody (accuracy)."""
    prevalence = float(np.mean(y_true))
    return {
        "always_yes_f1": 2 * prevalence / (1 + prevalence),
        "always_no_accuracy": 1 - prevalence,
        "pr_auc_random": prevalence,
    }


def log_report(name: str, metrics: dict[str, float], base: dict[str, float]) -> None:
    """Print the test report in a readable block."""
    logger.info("==== test-split evaluation of final model: %s ====", name)
    for k in ("f1_yes", "precision_yes", "recall_yes", "roc_auc", "pr_auc", "accuracy"):
        logger.info("  %-14s %.4f", k, metrics[k])
    logger.info("  confusion      TP=%d FP=%d FN=%d TN=%d", metrics["tp"], metrics["fp"], metrics["fn"], metrics["tn"])
    logger.info("  baselines      always-yes F1 %.4f | always-no accuracy %.4f | random PR AUC %.4f",
                base["always_yes_f1"], base["always_no_accuracy"], base["pr_auc_random"])
