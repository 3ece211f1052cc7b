"""Test-set evaluation of the final model, with trivial baselines for context."""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd
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


def evaluate(y_true: pd.Series, proba: np.ndarray, threshold: float) -> dict[str, float | list]:
    """Positive-class metrics at the chosen threshold plus threshold-free AUCs."""
    predicted = (proba >= threshold).astype(int)
    tn, fp, fn, tp = confusion_matrix(y_true, predicted, labels=[0, 1]).ravel()
    prevalence = float(np.mean(y_true))
    metrics = {
        "threshold": round(threshold, 4),
        "f1_yes": f1_score(y_true, predicted, zero_division=0),
        "precision_yes": precision_score(y_true, predicted, zero_division=0),
        "recall_yes": recall_score(y_true, predicted, zero_division=0),
        "pr_auc": average_precision_score(y_true, proba),
        "roc_auc": roc_auc_score(y_true, proba),
        "accuracy": accuracy_score(y_true, predicted),
        "confusion_matrix [[tn, fp], [fn, tp]]": [[int(tn), int(fp)], [int(fn), int(tp)]],
        # Baselines: what you get without a model.
        "baseline_f1_always_yes": 2 * prevalence / (1 + prevalence),
        "baseline_pr_auc_random": prevalence,
        "baseline_accuracy_always_no": 1 - prevalence,
    }
    return {key: (round(value, 4) if isinstance(value, float) else value) for key, value in metrics.items()}


def log_report(metrics: dict, model_name: str) -> None:
    """Print the test evaluation in a readable block."""
    logger.info("=== Test-set evaluation of final model (%s) ===", model_name)
    for key, value in metrics.items():
        logger.info("  %-40s %s", key, value)
