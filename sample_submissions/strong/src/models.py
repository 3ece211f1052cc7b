"""Candidate model families and their hyper-parameter grids.

Each candidate is a full scikit-learn ``Pipeline`` (preprocessor + classifier)
so that cross-validation refits the imputers and encoders inside every fold
and no statistic of a validation fold leaks into training.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sklearn.base import ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from src.features import build_preprocessor

logger = logging.getLogger(__name__)

CLASSIFIER_STEP = "classifier"


def _logistic_regression(seed: int) -> ClassifierMixin:
    """Linear baseline: interpretable, fast, balanced class weights for the 23% minority."""
    return LogisticRegression(class_weight="balanced", max_iter=2000, random_state=seed)


def _random_forest(seed: int) -> ClassifierMixin:
    """Bagged trees: capture non-linearities and interactions with little tuning."""
    return RandomForestClassifier(class_weight="balanced_subsample", n_jobs=1, random_state=seed)


def _hist_gradient_boosting(seed: int) -> ClassifierMixin:
    """Boosted trees: usually the strongest learner on tabular data of this size."""
    return HistGradientBoostingClassifier(
        class_weight="balanced", early_stopping=False, random_state=seed
    )


#: Registry of the model families that can be named under ``models:`` in config.yaml.
MODEL_FACTORIES: dict[str, Callable[[int], ClassifierMixin]] = {
    "logistic_regression": _logistic_regression,
    "random_forest": _random_forest,
    "hist_gradient_boosting": _hist_gradient_boosting,
}


@dataclass(frozen=True)
class Candidate:
    """One model family to tune: its name, unfitted pipeline and search grid."""

    name: str
    pipeline: Pipeline
    param_grid: dict[str, list[Any]]


def build_pipeline(classifier: ClassifierMixin) -> Pipeline:
    """Chain the (unfitted) preprocessor and a classifier into one estimator."""
    return Pipeline(steps=[("preprocess", build_preprocessor()), (CLASSIFIER_STEP, classifier)])


def build_candidates(model_grids: dict[str, dict[str, list[Any]]], seed: int) -> list[Candidate]:
    """Create a Candidate for every model family listed in the configuration.

    The grid keys in ``config.yaml`` are plain classifier parameters
    (``C``, ``max_depth``...); they are prefixed with the pipeline step name
    here so the configuration stays readable.

    Raises:
        ValueError: if the configuration names an unknown model family.
    """
    unknown = sorted(set(model_grids) - set(MODEL_FACTORIES))
    if unknown:
        raise ValueError(
            f"unknown model(s) in config: {', '.join(unknown)}; "
            f"choose from {', '.join(MODEL_FACTORIES)}"
        )

    candidates = []
    for name, grid in model_grids.items():
        param_grid = {
            f"{CLASSIFIER_STEP}__{param}": list(values if isinstance(values, list) else [values])
            for param, values in (grid or {}).items()
        }
        pipeline = build_pipeline(MODEL_FACTORIES[name](seed))
        candidates.append(Candidate(name=name, pipeline=pipeline, param_grid=param_grid))
        logger.info("Candidate %s with grid %s", name, grid)
    return candidates
