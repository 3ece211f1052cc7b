"""
Model training module.

This module contains functions for training machine learning models.
"""
from typing import Any, Dict

import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression


def get_models(n_estimators: int = 100, random_state: int = 42) -> Dict[str, Any]:
    """
    Get a dictionary of models to train.

    Args:
        n_estimators (int): Number of trees for the Random Forest.
        random_state (int): Random seed.

    Returns:
        Dict[str, Any]: Dictionary of model name to model instance.
    """
    return {
        "Logistic Regression": LogisticRegression(max_iter=1000),
        "Random Forest": RandomForestClassifier(n_estimators=n_estimators, random_state=random_state),
    }


def train_model(model: Any, X_train: pd.DataFrame, y_train: pd.Series) -> Any:
    """
    Train a machine learning model.

    Args:
        model (Any): A scikit-learn estimator.
        X_train (pd.DataFrame): Training features.
        y_train (pd.Series): Training labels.

    Returns:
        Any: The trained model.
    """
    model.fit(X_train, y_train)
    return model
