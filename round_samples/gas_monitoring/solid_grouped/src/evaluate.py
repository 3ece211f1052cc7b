"""Metrics on the held-back test sessions."""
from sklearn.dummy import DummyClassifier
from sklearn.metrics import (balanced_accuracy_score, classification_report,
                             confusion_matrix, f1_score)

from src.preprocessing import CLASS_LABELS


def evaluate(model, X_test, y_test):
    """Print and return macro F1, balanced accuracy, per-class report and confusion matrix.

    Macro F1 is the main metric: the classes are imbalanced (Low 58%, Moderate 31%,
    High 11%) and plain accuracy would reward ignoring High Activity, the class staff
    most need to hear about.
    """
    y_pred = model.predict(X_test)
    results = {
        "macro_f1": f1_score(y_test, y_pred, average="macro"),
        "balanced_accuracy": balanced_accuracy_score(y_test, y_pred),
    }
    print(classification_report(y_test, y_pred, labels=CLASS_LABELS, digits=3, zero_division=0))
    print("Confusion matrix (rows = true, columns = predicted):")
    print("labels:", CLASS_LABELS)
    print(confusion_matrix(y_test, y_pred, labels=CLASS_LABELS))
    print(f"Macro F1:          {results['macro_f1']:.3f}")
    print(f"Balanced accuracy: {results['balanced_accuracy']:.3f}")
    return results


def baseline_scores(X_train, y_train, X_test, y_test):
    """Scores of always predicting the majority class, for reference."""
    dummy = DummyClassifier(strategy="most_frequent").fit(X_train, y_train)
    y_pred = dummy.predict(X_test)
    return {
        "macro_f1": f1_score(y_test, y_pred, average="macro"),
        "balanced_accuracy": balanced_accuracy_score(y_test, y_pred),
    }
