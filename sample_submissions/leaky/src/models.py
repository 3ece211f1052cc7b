"""The candidate classifiers compared by the pipeline."""
from __future__ import annotations

from typing import Any

from sklearn.base import ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression


def build_model(name: str, params: dict[str, Any], seed: int) -> ClassifierMixin:
    """Create the classifier called ``name`` with hyper-parameters ``params``.

    Every model uses balanced class weights because only about 23% of deliveries are late.

    Raises:
        ValueError: if ``name`` is not one of the supported models.
    """
    if name == "logistic_regression":
        return LogisticRegression(class_weight="balanced", max_iter=2000, **params)
    if name == "random_forest":
        return RandomForestClassifier(class_weight="balanced_subsample", random_state=seed,
                                      n_jobs=1, **params)
    if name == "gradient_boosting":
        return HistGradientBoostingClassifier(class_weight="balanced", random_state=seed, **params)
    raise ValueError(f"Unknown model '{name}': use logistic_regression, random_forest "
                     "or gradient_boosting")
