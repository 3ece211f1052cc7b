"""Model registry: each candidate family with its estimator and hyper-parameter search space.

Why these three (README section g):
* logistic regression - a linear, well-calibrated baseline; needs the scaled/one-hot features and
  the hand-made interaction;
* random forest - bagging of deep trees, finds interactions on its own, low variance;
* LightGBM - gradient boosting, usually the strongest on small tabular data, but the easiest to
  overfit, hence the regularisation parameters in its search space.
All three get class weighting because only 11% of clients subscribe.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from lightgbm import LGBMClassifier
from scipy.stats import loguniform, randint, uniform
from sklearn.base import BaseEstimator
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression


@dataclass(frozen=True)
class ModelSpec:
    """A model family: how to build the estimator, its search space, and whether it needs scaling."""

    build: Callable[[int], BaseEstimator]
    param_space: dict[str, Any]
    scale_numeric: bool


REGISTRY: dict[str, ModelSpec] = {
    "logistic_regression": ModelSpec(
        build=lambda seed: LogisticRegression(
            class_weight="balanced", solver="liblinear", max_iter=1000, random_state=seed
        ),
        param_space={"model__C": loguniform(1e-3, 10)},
        scale_numeric=True,
    ),
    "random_forest": ModelSpec(
        build=lambda seed: RandomForestClassifier(
            n_estimators=80, max_samples=0.5, class_weight="balanced_subsample", n_jobs=1, random_state=seed
        ),
        param_space={
            "model__max_depth": randint(4, 12),
            "model__min_samples_leaf": randint(5, 60),
            "model__max_features": uniform(0.2, 0.6),
        },
        scale_numeric=False,
    ),
    "lightgbm": ModelSpec(
        build=lambda seed: LGBMClassifier(
            n_estimators=200, class_weight="balanced", random_state=seed, n_jobs=1, verbose=-1
        ),
        param_space={
            "model__learning_rate": loguniform(0.01, 0.2),
            "model__num_leaves": randint(8, 48),
            "model__min_child_samples": randint(20, 200),
            "model__reg_lambda": loguniform(1e-2, 10),
            "model__subsample": uniform(0.6, 0.4),
            "model__subsample_freq": [1],
            "model__colsample_bytree": uniform(0.5, 0.5),
        },
        scale_numeric=False,
    ),
}


def get_spec(name: str) -> ModelSpec:
    """Look up a model family by its config name."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown model '{name}'; choose from {sorted(REGISTRY)}") from None
