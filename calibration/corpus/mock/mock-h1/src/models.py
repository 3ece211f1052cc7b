"""Model registry: candidate estimators and their hyper-parameter search spaces."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lightgbm import LGBMClassifier
from scipy.stats import loguniform, randint, uniform
from sklearn.base import ClassifierMixin
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from src.features import build_preprocessor

RANDOM_STATE = 42


@dataclass
class Candidate:
    """A model family: the estimator, whether it needs scaled inputs, and its search space."""

    name: str
    estimator: ClassifierMixin
    needs_scaling: bool
    param_space: dict[str, Any]


def _registry() -> dict[str, Candidate]:
    """Define the three families compared in the pipeline.

    * logistic regression: a linear, well-calibrated baseline; tells us how far
      additive effects (distance, traffic, weather) go on their own;
    * random forest: bagging of deep trees, captures the rush-hour x traffic
      interaction without us writing it, low variance;
    * LightGBM: boosting, usually the strongest on tabular data of this size.
    All use class_weight='balanced' because only 23% of deliveries are late.
    """
    return {
        "logreg": Candidate(
            "logreg",
            LogisticRegression(class_weight="balanced", max_iter=2000),
            needs_scaling=True,
            param_space={"model__C": loguniform(1e-3, 1e2)},
        ),
        "random_forest": Candidate(
            "random_forest",
            RandomForestClassifier(class_weight="balanced", n_jobs=1, random_state=RANDOM_STATE),
            needs_scaling=False,
            param_space={
                "model__n_estimators": randint(100, 250),
                "model__max_depth": randint(4, 12),
                "model__min_samples_leaf": randint(2, 30),
                "model__max_features": uniform(0.2, 0.4),
                "model__max_samples": uniform(0.5, 0.3),
            },
        ),
        "lightgbm": Candidate(
            "lightgbm",
            LGBMClassifier(class_weight="balanced", random_state=RANDOM_STATE, n_jobs=1, verbose=-1),
            needs_scaling=False,
            param_space={
                "model__n_estimators": randint(100, 500),
                "model__learning_rate": loguniform(0.01, 0.2),
                "model__num_leaves": randint(8, 48),
                "model__min_child_samples": randint(10, 80),
                "model__subsample": uniform(0.6, 0.4),
                "model__subsample_freq": [1],
                "model__colsample_bytree": uniform(0.5, 0.5),
                "model__reg_lambda": loguniform(1e-3, 10),
            },
        ),
    }


def get_candidates(names: list[str]) -> list[Candidate]:
    """Return the candidates named in the config, in the given order."""
    registry = _registry()
    unknown = [n for n in names if n not in registry]
    if unknown:
        raise ValueError(f"unknown model name(s) in config: {unknown}; choose from {sorted(registry)}")
    return [registry[n] for n in names]


def build_pipeline(candidate: Candidate, use_engineered: bool) -> Pipeline:
    """Preprocessing + estimator in one object, so CV folds never see held-out statistics."""
    return Pipeline([
        ("prep", build_preprocessor(use_engineered=use_engineered, scale=candidate.needs_scaling)),
        ("model", candidate.estimator),
    ])
