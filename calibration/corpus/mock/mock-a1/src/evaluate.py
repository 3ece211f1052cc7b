"""Stage 5: one-off evaluation of the selected model on the untouched test split."""
from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import (accuracy_score, average_precision_score, confusion_matrix, f1_score,
                             precision_score, recall_score, roc_auc_score)
from sklearn.pipeline import Pipeline

logger = logging.getLogger(__name__)


def classification_metrics(y_true: pd.Series, y_pred: np.ndarray, y_proba: np.ndarray | None = None) -> dict[str, float]:
    """Positive-class metrics plus accuracy; AUCs only when probabilities are given."""
    out = {
        "f1_late": f1_score(y_true, y_pred, zero_division=0),
        "precision_late": precision_score(y_true, y_pred, zero_division=0),
        "recall_late": recall_score(y_true, y_pred, zero_division=0),
        "accuracy": accuracy_score(y_true, y_pred),
    }
    if y_proba is not None:
        out["roc_auc"] = roc_auc_score(y_true, y_proba)
        out["pr_auc"] = average_precision_score(y_true, y_proba)
    return {k: round(float(v), 4) for k, v in out.items()}


def baselines(y_test: pd.Series) -> dict[str, dict[str, float]]:
    """Trivial rules any model must beat: predict nobody late / everybody late."""
    return {
        "always_on_time": classification_metrics(y_test, np.zeros(len(y_test), dtype=int)),
        "always_late": classification_metrics(y_test, np.ones(len(y_test), dtype=int)),
    }


def threshold_table(y_true: pd.Series, y_proba: np.ndarray, thresholds: tuple[float, ...] = (0.3, 0.4, 0.5, 0.6, 0.7)) -> pd.DataFrame:
    """Precision / recall / F1 at a few thresholds to show the trade-off to the business."""
    rows = []
    for t in thresholds:
        pred = (y_proba >= t).astype(int)
        rows.append({"threshold": t, **classification_metrics(y_true, pred),
                     "share_flagged": round(float(pred.mean()), 4)})
    return pd.DataFrame(rows)


def evaluate_on_test(pipeline: Pipeline, threshold: float, X_test: pd.DataFrame, y_test: pd.Series) -> dict[str, Any]:
    """Score the fitted pipeline on the test split at 0.5 and at the CV-chosen threshold."""
    proba = pipeline.predict_proba(X_test)[:, 1]
    tuned_pred = (proba >= threshold).astype(int)
    report = {
        "n_test": int(len(y_test)),
        "test_late_rate": round(float(y_test.mean()), 4),
        "threshold": threshold,
        "at_0.5": classification_metrics(y_test, (proba >= 0.5).astype(int), proba),
        "at_tuned_threshold": classification_metrics(y_test, tuned_pred, proba),
        "confusion_matrix_tuned": confusion_matrix(y_test, tuned_pred).tolist(),
        "baselines": baselines(y_test),
    }
    logger.info("test @%.2f: F1 %.3f | precision %.3f | recall %.3f | ROC AUC %.3f | PR AUC %.3f",
                threshold, *(report["at_tuned_threshold"][k] for k in
                             ("f1_late", "precision_late", "recall_late", "roc_auc", "pr_auc")))
    logger.info("baseline always_late F1 %.3f | always_on_time accuracy %.3f",
                report["baselines"]["always_late"]["f1_late"], report["baselines"]["always_on_time"]["accuracy"])
    logger.info("confusion matrix [[TN FP] [FN TP]]: %s", report["confusion_matrix_tuned"])
    table = threshold_table(y_test, proba)
    logger.info("threshold trade-off on test:\n%s", table.to_string(index=False))
    report["threshold_table"] = table.to_dict(orient="records")
    return report
