"""Metric plugins. Signature: fn(y_true, y_pred) -> float"""
from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score

from ..registry import METRICS


@METRICS.register("accuracy")
def accuracy(y_true, y_pred):
    return accuracy_score(y_true, y_pred)


@METRICS.register("balanced_accuracy")
def balanced_accuracy(y_true, y_pred):
    return balanced_accuracy_score(y_true, y_pred)


@METRICS.register("f1_macro")
def f1_macro(y_true, y_pred):
    return f1_score(y_true, y_pred, average="macro")
