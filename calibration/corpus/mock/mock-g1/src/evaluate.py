"""Evaluation metrics."""
from sklearn.metrics import (accuracy_score, classification_report, confusion_matrix,
                             f1_score, precision_score, recall_score, roc_auc_score)


def evaluate(model, X, y, name=""):
    """Compute classification metrics for the positive class (late = 1)."""
    pred = model.predict(X)
    proba = model.predict_proba(X)[:, 1]
    metrics = {
        "f1": f1_score(y, pred),
        "precision": precision_score(y, pred),
        "recall": recall_score(y, pred),
        "roc_auc": roc_auc_score(y, proba),
        "accuracy": accuracy_score(y, pred),
    }
    print(f"--- {name} ---")
    for k, v in metrics.items():
        print(f"{k:>10}: {v:.4f}")
    print("Confusion matrix:")
    print(confusion_matrix(y, pred))
    return metrics


def report(model, X, y):
    """Full classification report."""
    print(classification_report(y, model.predict(X), digits=3))
