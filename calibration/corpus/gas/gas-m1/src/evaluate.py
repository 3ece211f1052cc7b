"""Evaluation on the held-back test sessions."""
from __future__ import annotations

import logging
from typing import Any

import pandas as pd
from sklearn.metrics import (
    balanced_accuracy_score,
    classification_report,
    confusion_matrix,
    f1_score,
)

log = logging.getLogger(__name__)


def evaluate(model: Any, X_test: pd.DataFrame, y_test: pd.Series) -> dict[str, Any]:
    """Print and return macro F1, balanced accuracy, per-class report and confusion matrix."""
    pred = model.predict(X_test)
    labels = sorted(y_test.unique())
    report = classification_report(y_test, pred, labels=labels, digits=3, zero_division=0)
    matrix = confusion_matrix(y_test, pred, labels=labels)
    metrics = {
        "test_f1_macro": float(f1_score(y_test, pred, average="macro")),
        "test_balanced_accuracy": float(balanced_accuracy_score(y_test, pred)),
        "per_class_recall": dict(zip(labels, (matrix.diagonal() / matrix.sum(axis=1)).round(3).tolist())),
    }
    print("\n=== Final model on the test sessions ===")
    print(report)
    print("confusion matrix (rows = true, columns = predicted):")
    print(pd.DataFrame(matrix, index=labels, columns=labels).to_string())
    return metrics
