"""Splitting, cross-validated hyper-parameter search and model selection.

The data is split into train / validation / test *before* anything is
fitted.  Hyper-parameters are tuned by stratified k-fold cross-validation on
the training split only; the validation split is used to choose the decision
threshold; the test split is scored once, at the very end.
"""

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

from src.config import SplitConfig, TuningConfig
from src.models import Candidate

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DataSplits:
    """Stratified train / validation / test partitions of the labelled data."""

    x_train: pd.DataFrame
    y_train: pd.Series
    x_valid: pd.DataFrame
    y_valid: pd.Series
    x_test: pd.DataFrame
    y_test: pd.Series

    def sizes(self) -> dict[str, int]:
        """Return the number of rows in each partition, for logging and metrics.json."""
        return {
            "train": len(self.y_train),
            "validation": len(self.y_valid),
            "test": len(self.y_test),
        }


@dataclass
class TuningResult:
    """Outcome of the grid search for one model family."""

    name: str
    estimator: Pipeline
    best_params: dict[str, Any]
    cv_f1_mean: float
    cv_f1_std: float
    train_f1_mean: float
    fit_seconds: float

    @property
    def overfit_gap(self) -> float:
        """Train F1 minus CV F1: a large gap signals variance (over-fitting)."""
        return self.train_f1_mean - self.cv_f1_mean

    def summary(self) -> dict[str, Any]:
        """JSON-serialisable record of the search, written to metrics.json."""
        return {
            "best_params": {k.split("__", 1)[-1]: v for k, v in self.best_params.items()},
            "cv_f1_mean": round(self.cv_f1_mean, 4),
            "cv_f1_std": round(self.cv_f1_std, 4),
            "train_f1_mean": round(self.train_f1_mean, 4),
            "train_minus_cv_f1": round(self.overfit_gap, 4),
            "search_seconds": round(self.fit_seconds, 1),
        }


def split_data(features: pd.DataFrame, target: pd.Series, config: SplitConfig) -> DataSplits:
    """Split into stratified train / validation / test sets with a fixed seed.

    Stratifying keeps the 23% late rate identical in every partition, so the
    F1 scores of the partitions are comparable.
    """
    x_rest, x_test, y_rest, y_test = train_test_split(
        features, target, test_size=config.test_size, stratify=target, random_state=config.seed
    )
    # validation_size is a fraction of the *whole* data set, so rescale it.
    valid_fraction = config.validation_size / (1.0 - config.test_size)
    x_train, x_valid, y_train, y_valid = train_test_split(
        x_rest, y_rest, test_size=valid_fraction, stratify=y_rest, random_state=config.seed
    )
    splits = DataSplits(x_train, y_train, x_valid, y_valid, x_test, y_test)
    logger.info("Split sizes: %s (late rate in train %.3f)", splits.sizes(), y_train.mean())
    return splits


def tune_candidate(
    candidate: Candidate,
    x_train: pd.DataFrame,
    y_train: pd.Series,
    config: SplitConfig,
    tuning: TuningConfig,
) -> TuningResult:
    """Grid-search one model family with stratified k-fold CV on the training split.

    Train scores are kept (``return_train_score``) so that the bias/variance
    trade-off of the chosen setting can be reported next to its CV score.
    """
    folds = StratifiedKFold(n_splits=config.cv_folds, shuffle=True, random_state=config.seed)
    search = GridSearchCV(
        estimator=candidate.pipeline,
        param_grid=candidate.param_grid,
        scoring=tuning.scoring,
        cv=folds,
        n_jobs=1,
        refit=True,
        return_train_score=True,
        error_score="raise",
    )
    started = time.perf_counter()
    search.fit(x_train, y_train)
    elapsed = time.perf_counter() - started

    best = search.best_index_
    results = search.cv_results_
    result = TuningResult(
        name=candidate.name,
        estimator=search.best_estimator_,
        best_params=dict(search.best_params_),
        cv_f1_mean=float(results["mean_test_score"][best]),
        cv_f1_std=float(results["std_test_score"][best]),
        train_f1_mean=float(results["mean_train_score"][best]),
        fit_seconds=elapsed,
    )
    logger.info(
        "%-22s CV F1 %.3f +/- %.3f | train F1 %.3f | %s | %.1fs",
        candidate.name,
        result.cv_f1_mean,
        result.cv_f1_std,
        result.train_f1_mean,
        result.summary()["best_params"],
        elapsed,
    )
    return result


def select_best(results: list[TuningResult]) -> TuningResult:
    """Return the model family with the highest mean cross-validated F1."""
    if not results:
        raise ValueError("no model was tuned; check the 'models' section of the config")
    return max(results, key=lambda result: result.cv_f1_mean)


def refit_on_all_data(best: TuningResult, features: pd.DataFrame, target: pd.Series) -> Pipeline:
    """Refit the chosen pipeline (same hyper-parameters) on every labelled row.

    Used only for the final hold-out predictions, after the test score has
    been recorded: more data gives a slightly better production model.
    """
    final_model = clone(best.estimator)
    final_model.fit(features, target)
    return final_model


def positive_proba(model: Pipeline, features: pd.DataFrame) -> np.ndarray:
    """Predicted probability of the positive class (late = 1)."""
    return model.predict_proba(features)[:, 1]
