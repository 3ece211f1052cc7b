"""Threshold selection (on out-of-fold predictions) and test-set metrics."""
import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import (accuracy_score, average_precision_score, f1_score,
                             precision_score, recall_score, roc_auc_score)
from sklearn.model_selection import StratifiedKFold, cross_val_predict


def oof_threshold(estimator, X: pd.DataFrame, y: pd.Series, folds: int, seed: int) -> float:
    """F1-optimal threshold from out-of-fold probabilities on the training split only."""
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    proba = cross_val_predict(clone(estimator), X, y, cv=cv, method="predict_proba")[:, 1]
    grid = np.linspace(0.1, 0.9, 81)
    f1s = [f1_score(y, proba >= t) for t in grid]
    return float(grid[int(np.argmax(f1s))])


def classification_report(y: pd.Series, proba: np.ndarray, threshold: float) -> dict:
    """Metrics for the positive class plus ranking metrics and the trivial baseline."""
    pred = (proba >= threshold).astype(int)
    prevalence = float(y.mean())
    return {
        "threshold": threshold,
        "f1": f1_score(y, pred),
        "precision": precision_score(y, pred, zero_division=0),
        "recall": recall_score(y, pred),
        "accuracy": accuracy_score(y, pred),
        "roc_auc": roc_auc_score(y, proba),
        "pr_auc": average_precision_score(y, proba),
        "baseline_f1_all_late": 2 * prevalence / (1 + prevalence),
    }
