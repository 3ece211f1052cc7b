"""Model registry: one entry per model family, each wrapped in the full preprocessing pipeline.

Why these three families (see README, section g):
* logistic regression - linear baseline; tells us how far a weighted sum of sensor levels gets.
* random forest       - bagging of deep trees; handles non-monotonic effects such as the CO level
                        (Low Activity peaks at 'medium'/'high', not at the extremes) with low variance.
* hist gradient boosting - boosting; learns sensor interactions sequentially and handles the
                        NaN-heavy columns well. Usually the strongest on tabular data, but easier
                        to overfit on 30 sessions, hence the grouped CV.
All use balanced class weights: High Activity is only ~11% of rows.
"""
from __future__ import annotations

from typing import Callable

from sklearn.base import ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from src.features import FeatureBuilder, build_preprocessor


def _logreg(seed: int) -> ClassifierMixin:
    return LogisticRegression(max_iter=2000, class_weight="balanced")


def _forest(seed: int) -> ClassifierMixin:
    return RandomForestClassifier(class_weight="balanced", random_state=seed, n_jobs=1)


def _hgb(seed: int) -> ClassifierMixin:
    return HistGradientBoostingClassifier(class_weight="balanced", random_state=seed)


# name -> (estimator factory, needs scaled inputs)
MODEL_REGISTRY: dict[str, tuple[Callable[[int], ClassifierMixin], bool]] = {
    "logistic_regression": (_logreg, True),
    "random_forest": (_forest, False),
    "hist_gradient_boosting": (_hgb, False),
}


def build_pipeline(name: str, feature_cfg: dict, seed: int) -> Pipeline:
    """Return features -> preprocessing -> classifier for the named family."""
    if name not in MODEL_REGISTRY:
        raise KeyError(f"unknown model '{name}'; available: {sorted(MODEL_REGISTRY)}")
    factory, needs_scaling = MODEL_REGISTRY[name]
    return Pipeline(
        [
            ("features", FeatureBuilder(**feature_cfg)),
            ("prep", build_preprocessor(scale=needs_scaling)),
            ("clf", factory(seed)),
        ]
    )


def param_grid(params: dict) -> dict:
    """Prefix the config grid with the pipeline step name used by GridSearchCV."""
    return {f"clf__{key}": values for key, values in params.items()}
