"""Metrics + threshold selection."""
import numpy as np
import pandas as pd
from sklearn.metrics import (average_precision_score, classification_report, confusion_matrix,
                             f1_score, precision_recall_curve, precision_score, recall_score,
                             roc_auc_score)
from sklearn.model_selection import StratifiedKFold, cross_val_predict


def best_threshold(pipe, X, y, cfg):
    """Pick the F1-optimal threshold on out-of-fold probabilities of the TRAIN set
    (so the test set is not touched)."""
    cv = StratifiedKFold(cfg["split"]["cv_folds"], shuffle=True, random_state=cfg["seed"])
    oof = cross_val_predict(pipe, X, y, cv=cv, method="predict_proba", n_jobs=1)[:, 1]
    prec, rec, thr = precision_recall_curve(y, oof)
    f1 = 2 * prec * rec / np.clip(prec + rec, 1e-9, None)
    i = int(np.nanargmax(f1[:-1]))
    return float(thr[i]), float(f1[i])


def evaluate(y_true, proba, threshold):
    pred = (proba >= threshold).astype(int)
    return {
        "threshold": round(threshold, 4),
        "f1_yes": f1_score(y_true, pred),
        "precision_yes": precision_score(y_true, pred, zero_division=0),
        "recall_yes": recall_score(y_true, pred),
        "roc_auc": roc_auc_score(y_true, proba),
        "pr_auc": average_precision_score(y_true, proba),
        "accuracy": float((pred == y_true).mean()),
    }, confusion_matrix(y_true, pred), classification_report(y_true, pred, target_names=["no", "yes"])


def baselines(y_test):
    """Trivial baselines to compare against."""
    all_yes = np.ones_like(y_test)
    return {
        "always_yes_f1": f1_score(y_test, all_yes),
        "always_no_accuracy": float((y_test == 0).mean()),
        "prevalence_pr_auc": float(y_test.mean()),
    }
