"""Evaluation helpers."""
from sklearn.metrics import (
    accuracy_score,
    classification_report,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)


def evaluate_model(model, X, y) -> dict:
    """Compute classification metrics for the positive class."""
    preds = model.predict(X)
    proba = model.predict_proba(X)[:, 1]
    return {
        "f1": f1_score(y, preds),
        "precision": precision_score(y, preds),
        "recall": recall_score(y, preds),
        "roc_auc": roc_auc_score(y, proba),
        "accuracy": accuracy_score(y, preds),
    }


def print_report(name: str, model, X, y) -> None:
    preds = model.predict(X)
    print(f"\n===== {name} =====")
    print(classification_report(y, preds, target_names=["no", "yes"], digits=4))
    print("Confusion matrix:")
    print(confusion_matrix(y, preds))
