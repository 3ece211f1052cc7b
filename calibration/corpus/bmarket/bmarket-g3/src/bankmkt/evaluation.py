"""Metrics, cost-based threshold choice and bias-variance diagnostics."""
import logging

import numpy as np
import pandas as pd
from sklearn.metrics import (accuracy_score, average_precision_score, confusion_matrix, f1_score,
                             precision_score, recall_score, roc_auc_score)
from sklearn.model_selection import StratifiedKFold, cross_val_score, learning_curve

logger = logging.getLogger(__name__)


def classification_metrics(y_true: np.ndarray, proba: np.ndarray, threshold: float) -> dict:
    """Threshold-free (PR-AUC, ROC-AUC) and thresholded metrics for the positive class."""
    pred = (proba >= threshold).astype(int)
    tn, fp, fn, tp = confusion_matrix(y_true, pred, labels=[0, 1]).ravel()
    return {
        "pr_auc": average_precision_score(y_true, proba),
        "roc_auc": roc_auc_score(y_true, proba),
        "f1": f1_score(y_true, pred, zero_division=0),
        "precision": precision_score(y_true, pred, zero_division=0),
        "recall": recall_score(y_true, pred, zero_division=0),
        "accuracy": accuracy_score(y_true, pred),
        "threshold": threshold,
        "confusion": {"tn": int(tn), "fp": int(fp), "fn": int(fn), "tp": int(tp)},
    }


def expected_cost_threshold(y_true: np.ndarray, proba: np.ndarray, cost_fp: float, cost_fn: float
                            ) -> tuple[float, pd.DataFrame]:
    """Pick the cut-off that minimises mean cost per client on the validation set.

    Bayes-optimal cut-off for calibrated scores would be cost_fp / (cost_fp + cost_fn); the
    empirical scan is used because boosted scores are not perfectly calibrated.
    """
    grid = np.round(np.arange(0.05, 0.81, 0.01), 2)
    rows = []
    for t in grid:
        pred = proba >= t
        fp = int(np.sum(pred & (y_true == 0)))
        fn = int(np.sum(~pred & (y_true == 1)))
        rows.append({"threshold": t, "fp": fp, "fn": fn,
                     "cost_per_client": (cost_fp * fp + cost_fn * fn) / len(y_true)})
    table = pd.DataFrame(rows)
    best = float(table.loc[table["cost_per_client"].idxmin(), "threshold"])
    logger.info("cost-optimal threshold %.2f (theoretical %.2f for calibrated scores)",
                best, cost_fp / (cost_fp + cost_fn))
    return best, table


def compare_cv(models: dict, X: pd.DataFrame, y: np.ndarray, folds: int, seed: int,
               scoring: str) -> pd.DataFrame:
    """Cross-validated score of each named (model, columns) pair on the same folds.

    Passing the column list lets the ablation drop features while keeping identical folds.
    """
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    rows = []
    for name, (model, columns) in models.items():
        scores = cross_val_score(model, X[columns], y, cv=cv, scoring=scoring, n_jobs=1)
        rows.append({"model": name, "cv_mean": scores.mean(), "cv_std": scores.std()})
        logger.info("%-28s CV %s = %.4f +/- %.4f", name, scoring, scores.mean(), scores.std())
    return pd.DataFrame(rows)


def learning_curve_table(model, X: pd.DataFrame, y: np.ndarray, sizes: list[float], folds: int,
                         seed: int, scoring: str) -> pd.DataFrame:
    """Train vs CV score as the training set grows: a widening gap means variance,
    two low converged curves mean bias."""
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    n, train_scores, cv_scores = learning_curve(model, X, y, train_sizes=sizes, cv=cv,
                                                scoring=scoring, n_jobs=1)
    table = pd.DataFrame({"n_train": n, "train": train_scores.mean(axis=1),
                          "cv": cv_scores.mean(axis=1), "cv_std": cv_scores.std(axis=1)})
    table["gap"] = table["train"] - table["cv"]
    for row in table.itertuples():
        logger.info("learning curve n=%5d train=%.4f cv=%.4f gap=%.4f", row.n_train, row.train, row.cv, row.gap)
    return table
