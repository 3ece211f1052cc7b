"""Train/validation/test partition, grid search per family, choice and refit."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline

from src.estimators import ModelSpec
from src.settings import PartitionSettings, SearchSettings

log = logging.getLogger(__name__)


@dataclass
class SearchOutcome:
    name: str
    model: Pipeline
    params: dict[str, Any]
    cv_mean: float
    cv_std: float
    fit_mean: float
    seconds: float

    @property
    def gap(self) -> float:
        """Training minus CV score (large = over-fitting)."""
        return self.fit_mean - self.cv_mean

    def as_dict(self) -> dict[str, Any]:
        return {
            "params": {k.split("__", 1)[-1]: v for k, v in self.params.items()},
            "cv_f1": round(self.cv_mean, 4),
            "cv_f1_sd": round(self.cv_std, 4),
            "fit_f1": round(self.fit_mean, 4),
            "gap": round(self.gap, 4),
            "seconds": round(self.seconds, 1),
        }


@dataclass(frozen=True)
class Partitions:
    X_fit: pd.DataFrame
    y_fit: pd.Series
    X_val: pd.DataFrame
    y_val: pd.Series
    X_test: pd.DataFrame
    y_test: pd.Series

    def counts(self) -> dict[str, int]:
        return {"train": len(self.y_fit), "validation": len(self.y_val), "test": len(self.y_test)}


def late_probability(model: Pipeline, X: pd.DataFrame) -> np.ndarray:
    return model.predict_proba(X)[:, 1]


def partition_rows(X: pd.DataFrame, y: pd.Series, part: PartitionSettings) -> Partitions:
    """Stratified three-way split with a fixed random state."""
    X_rest, X_test, y_rest, y_test = train_test_split(
        X, y, test_size=part.test_fraction, stratify=y, random_state=part.random_state
    )
    # the validation share is given relative to the full data
    share = part.valid_fraction / (1.0 - part.test_fraction)
    X_fit, X_val, y_fit, y_val = train_test_split(
        X_rest, y_rest, test_size=share, stratify=y_rest, random_state=part.random_state
    )
    parts = Partitions(X_fit, y_fit, X_val, y_val, X_test, y_test)
    log.info("partition sizes %s, share late in train = %.3f", parts.counts(), y_fit.mean())
    return parts


def pick_winner(outcomes: list[SearchOutcome]) -> SearchOutcome:
    if not outcomes:
        raise ValueError("nothing was searched; is the 'candidates' block empty?")
    return max(outcomes, key=lambda o: o.cv_mean)


def search_one(
    spec: ModelSpec,
    X_fit: pd.DataFrame,
    y_fit: pd.Series,
    part: PartitionSettings,
    search: SearchSettings,
) -> SearchOutcome:
    """GridSearchCV over one family, stratified folds, train scores kept."""
    cv = StratifiedKFold(n_splits=part.n_folds, shuffle=True, random_state=part.random_state)
    gs = GridSearchCV(
        estimator=spec.estimator,
        param_grid=spec.grid,
        scoring=search.metric,
        cv=cv,
        n_jobs=1,
        refit=True,
        return_train_score=True,
        error_score="raise",
    )
    t0 = time.perf_counter()
    gs.fit(X_fit, y_fit)
    took = time.perf_counter() - t0

    i = gs.best_index_
    res = gs.cv_results_
    outcome = SearchOutcome(
        name=spec.name,
        model=gs.best_estimator_,
        params=dict(gs.best_params_),
        cv_mean=float(res["mean_test_score"][i]),
        cv_std=float(res["std_test_score"][i]),
        fit_mean=float(res["mean_train_score"][i]),
        seconds=took,
    )
    log.info(
        "[%s] cv f1 %.3f (sd %.3f), train f1 %.3f, best %s, %.1f s",
        spec.name,
        outcome.cv_mean,
        outcome.cv_std,
        outcome.fit_mean,
        outcome.as_dict()["params"],
        took,
    )
    return outcome


def refit_full(winner: SearchOutcome, X: pd.DataFrame, y: pd.Series) -> Pipeline:
    """Same settings, fitted again on every labelled row (after testing)."""
    final = clone(winner.model)
    final.fit(X, y)
    return final
