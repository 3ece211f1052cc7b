"""Test-set report."""
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, classification_report,
                             confusion_matrix, f1_score)

from src.preprocess import CLASSES


def report(model, X_test, y_test):
    pred = model.predict(X_test)
    res = {
        "f1_macro": f1_score(y_test, pred, average="macro"),
        "balanced_acc": balanced_accuracy_score(y_test, pred),
        "accuracy": accuracy_score(y_test, pred),
    }
    print("\n=== Test set ===")
    for k, v in res.items():
        print(f"{k:14s} {v:.4f}")
    print(classification_report(y_test, pred, labels=CLASSES, digits=3))
    print("confusion matrix (rows = true, cols = pred):", CLASSES)
    print(confusion_matrix(y_test, pred, labels=CLASSES))
    return res
