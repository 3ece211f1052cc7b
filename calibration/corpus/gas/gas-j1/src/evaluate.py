"""Metrics for the final model on the untouched test sessions."""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from sklearn.dummy import DummyClassifier
from sklearn.metrics import balanced_accuracy_score, classification_report, confusion_matrix, f1_score

logger = logging.getLogger(__name__)


def evaluate(model, X_train: pd.DataFrame, y_train: pd.Series, X_test: pd.DataFrame, y_test: pd.Series) -> dict:
    """Score `model` on the test split and compare with two trivial baselines.

    Macro F1 is the primary metric (the paper's metric, and it does not let the majority
    'Low Activity' class hide poor recall on 'High Activity'); balanced accuracy and the
    per-class report are printed alongside.
    """
    y_pred = model.predict(X_test)
    labels = sorted(y_train.unique())
    metrics = {
        "macro_f1": f1_score(y_test, y_pred, average="macro"),
        "balanced_accuracy": balanced_accuracy_score(y_test, y_pred),
        "accuracy": float(np.mean(y_pred == y_test.to_numpy())),
        "train_macro_f1": f1_score(y_train, model.predict(X_train), average="macro"),
    }
    for strategy in ("most_frequent", "stratified"):
        dummy = DummyClassifier(strategy=strategy, random_state=0).fit(X_train, y_train)
        metrics[f"baseline_{strategy}_macro_f1"] = f1_score(y_test, dummy.predict(X_test), average="macro")

    report = classification_report(y_test, y_pred, digits=3)
    matrix = pd.DataFrame(confusion_matrix(y_test, y_pred, labels=labels),
                          index=[f"true {c}" for c in labels], columns=[f"pred {c}" for c in labels])
    print("\n=== Final model on the held-out test sessions ===")
    print(report)
    print(matrix.to_string())
    print(f"\nmacro F1 {metrics['macro_f1']:.3f} | balanced acc {metrics['balanced_accuracy']:.3f} | "
          f"train macro F1 {metrics['train_macro_f1']:.3f} | "
          f"baselines: majority {metrics['baseline_most_frequent_macro_f1']:.3f}, "
          f"stratified {metrics['baseline_stratified_macro_f1']:.3f}\n")
    metrics["per_class_recall"] = dict(zip(labels, np.diag(matrix.to_numpy()) / matrix.to_numpy().sum(axis=1)))
    return metrics
