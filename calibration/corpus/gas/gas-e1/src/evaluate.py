"""Metrics for the 3-class problem: macro F1 (primary), balanced accuracy, per-class recall."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.dummy import DummyClassifier
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    classification_report,
    confusion_matrix,
    f1_score,
    recall_score,
)

from src.cleaning import CLASSES


def score(y_true, y_pred) -> dict:
    """Return the metrics the paper reports, plus recall per class."""
    recalls = recall_score(y_true, y_pred, labels=CLASSES, average=None, zero_division=0)
    out = {
        "f1_macro": f1_score(y_true, y_pred, labels=CLASSES, average="macro", zero_division=0),
        "balanced_accuracy": balanced_accuracy_score(y_true, y_pred),
        "accuracy": accuracy_score(y_true, y_pred),
    }
    out.update({f"recall_{c.split()[0].lower()}": r for c, r in zip(CLASSES, recalls)})
    return {k: round(float(v), 4) for k, v in out.items()}


def baselines(y_train, y_test) -> dict:
    """Trivial reference points: always the majority class, and random guessing by class share."""
    out = {}
    for strategy in ("most_frequent", "stratified"):
        dummy = DummyClassifier(strategy=strategy, random_state=0).fit(np.zeros(len(y_train)), y_train)
        out[strategy] = score(y_test, dummy.predict(np.zeros(len(y_test))))
    return out


def report_text(y_true, y_pred) -> str:
    """Classification report and confusion matrix as printable text."""
    cm = pd.DataFrame(confusion_matrix(y_true, y_pred, labels=CLASSES),
                      index=[f"true {c}" for c in CLASSES], columns=[f"pred {c}" for c in CLASSES])
    return classification_report(y_true, y_pred, labels=CLASSES, digits=3, zero_division=0) + "\n" + cm.to_string()
