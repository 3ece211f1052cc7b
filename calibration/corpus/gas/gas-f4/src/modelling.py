"""Model registry, grouped hyper-parameter search and evaluation."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    classification_report,
    confusion_matrix,
    f1_score,
    recall_score,
)
from sklearn.model_selection import GroupKFold, RandomizedSearchCV
from sklearn.pipeline import Pipeline

from .cleaning import CLASS_LABELS
from .features import build_preprocessor

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelSpec:
    """A model family: estimator factory and whether its inputs need scaling."""

    name: str
    needs_scaling: bool
    estimator: BaseEstimator


def model_registry(seed: int) -> dict[str, ModelSpec]:
    """All supported model families keyed by their config name."""
    return {
        "logreg": ModelSpec(
            "logreg", True, LogisticRegression(class_weight="balanced", max_iter=3000)
        ),
        "random_forest": ModelSpec(
            "random_forest", False,
            RandomForestClassifier(class_weight="balanced_subsample", random_state=seed, n_jobs=1),
        ),
        "hist_gb": ModelSpec(
            "hist_gb", False, HistGradientBoostingClassifier(class_weight="balanced", random_state=seed)
        ),
    }


def build_pipeline(spec: ModelSpec) -> Pipeline:
    """Preprocessing + estimator, so every fitted step is refitted inside each CV fold."""
    return Pipeline([("prep", build_preprocessor(scale=spec.needs_scaling)), ("model", spec.estimator)])


def search_family(
    spec: ModelSpec,
    space: dict[str, list[Any]],
    X: pd.DataFrame,
    y: pd.Series,
    groups: pd.Series,
    cv_folds: int,
    n_iter: int,
    scoring: str,
    seed: int,
) -> RandomizedSearchCV:
    """Randomised search over one family with session-grouped folds."""
    n_groups = groups.nunique()
    if n_groups < cv_folds:
        raise ValueError(f"Only {n_groups} sessions in training data; need at least {cv_folds} for GroupKFold")
    grid = {f"model__{key}": values for key, values in space.items()}
    n_candidates = int(np.prod([len(v) for v in grid.values()]))
    search = RandomizedSearchCV(
        build_pipeline(spec),
        grid,
        n_iter=min(n_iter, n_candidates),
        scoring=scoring,
        cv=GroupKFold(n_splits=cv_folds),
        random_state=seed,
        return_train_score=True,
        n_jobs=1,
        error_score="raise",
    )
    search.fit(X, y, groups=groups)
    best = search.cv_results_["rank_test_score"].argmin()
    logger.info(
        "%-13s CV %s %.3f ± %.3f (train %.3f) params=%s",
        spec.name, scoring,
        search.cv_results_["mean_test_score"][best],
        search.cv_results_["std_test_score"][best],
        search.cv_results_["mean_train_score"][best],
        {k.removeprefix("model__"): v for k, v in search.best_params_.items()},
    )
    return search


def summarise_search(name: str, search: RandomizedSearchCV) -> dict[str, Any]:
    """Best-candidate CV statistics for the results table."""
    best = search.best_index_
    res = search.cv_results_
    return {
        "family": name,
        "cv_mean": float(res["mean_test_score"][best]),
        "cv_std": float(res["std_test_score"][best]),
        "train_mean": float(res["mean_train_score"][best]),
        "params": {k.removeprefix("model__"): v for k, v in search.best_params_.items()},
    }


def evaluate(model: Pipeline, X: pd.DataFrame, y: pd.Series) -> dict[str, Any]:
    """Metrics for the test split, matching the assessors' scoring."""
    labels = list(CLASS_LABELS)
    pred = model.predict(X)
    recalls = recall_score(y, pred, labels=labels, average=None, zero_division=0)
    return {
        "macro_f1": float(f1_score(y, pred, labels=labels, average="macro", zero_division=0)),
        "balanced_accuracy": float(balanced_accuracy_score(y, pred)),
        "accuracy": float(accuracy_score(y, pred)),
        "recall_per_class": dict(zip(labels, map(float, recalls))),
        "confusion_matrix": confusion_matrix(y, pred, labels=labels).tolist(),
        "report": classification_report(y, pred, labels=labels, zero_division=0),
    }
