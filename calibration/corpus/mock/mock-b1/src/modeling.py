"""Model definitions, hyper-parameter search, evaluation and threshold choice."""
import logging

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (accuracy_score, confusion_matrix, f1_score, precision_score,
                             recall_score, roc_auc_score, average_precision_score)
from sklearn.model_selection import GridSearchCV, StratifiedKFold

log = logging.getLogger(__name__)


def candidate_models(seed: int) -> dict:
    """Two model families with small grids.

    Logistic regression is the interpretable baseline (effects are roughly monotone in
    distance and traffic). Gradient boosting can pick up the hour x weather interactions
    seen in the EDA.
    """
    return {
        "logistic": (
            LogisticRegression(max_iter=2000, class_weight="balanced"),
            {"C": [0.01, 0.1, 1.0, 10.0]},
        ),
        "gboost": (
            HistGradientBoostingClassifier(random_state=seed, class_weight="balanced", max_iter=200),
            {"learning_rate": [0.05, 0.1], "max_depth": [3, 6]},
        ),
    }


def tune(models: dict, X: pd.DataFrame, y: pd.Series, folds: int, seed: int) -> dict:
    """Grid search each model with stratified CV on average precision; return fitted searches."""
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    results = {}
    for name, (estimator, grid) in models.items():
        search = GridSearchCV(estimator, grid, scoring="average_precision", cv=cv, n_jobs=1)
        search.fit(X, y)
        log.info("%-9s best CV AP=%.4f params=%s", name, search.best_score_, search.best_params_)
        results[name] = search
    return results


def best_threshold(y_true: pd.Series, proba: np.ndarray) -> float:
    """Threshold between 0.05 and 0.95 that gives the highest F1 for late=1."""
    grid = np.arange(0.05, 0.96, 0.01)
    scores = [f1_score(y_true, (proba >= t).astype(int)) for t in grid]
    return float(grid[int(np.argmax(scores))])


def evaluate(y_true: pd.Series, proba: np.ndarray, threshold: float) -> dict:
    """Standard binary metrics for the positive (late) class."""
    pred = (proba >= threshold).astype(int)
    tn, fp, fn, tp = confusion_matrix(y_true, pred).ravel()
    return {
        "threshold": round(threshold, 2),
        "f1": f1_score(y_true, pred),
        "precision": precision_score(y_true, pred),
        "recall": recall_score(y_true, pred),
        "accuracy": accuracy_score(y_true, pred),
        "roc_auc": roc_auc_score(y_true, proba),
        "pr_auc": average_precision_score(y_true, proba),
        "tp": int(tp), "fp": int(fp), "fn": int(fn), "tn": int(tn),
    }
