"""
Model evaluation module.

This module contains functions for evaluating trained models.
"""
from typing import Any, Dict

import pandas as pd
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score


def evaluate_model(model: Any, X_test: pd.DataFrame, y_test: pd.Series) -> Dict[str, float]:
    """
    Evaluate a trained model on the test set.

    Args:
        model (Any): Trained model.
        X_test (pd.DataFrame): Test features.
        y_test (pd.Series): Test labels.

    Returns:
        Dict[str, float]: Dictionary of evaluation metrics.
    """
    y_pred = model.predict(X_test)
    return {
        "accuracy": accuracy_score(y_test, y_pred),
        "precision": precision_score(y_test, y_pred, average="weighted", zero_division=0),
        "recall": recall_score(y_test, y_pred, average="weighted", zero_division=0),
        "f1": f1_score(y_test, y_pred, average="weighted", zero_division=0),
    }


def print_metrics(model_name: str, metrics: Dict[str, float]) -> None:
    """
    Print evaluation metrics in a readable format.

    Args:
        model_name (str): Name of the model.
        metrics (Dict[str, float]): Metrics to print.
    """
    print(f"\n===== {model_name} =====")
    for name, value in metrics.items():
        print(f"{name.capitalize():<12}: {value:.4f}")
