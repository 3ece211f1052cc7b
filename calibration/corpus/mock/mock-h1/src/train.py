"""Training: cross-validated random search per model family and selection of the winner."""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.model_selection import RandomizedSearchCV, StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline

from src.models import Candidate, build_pipeline

logger = logging.getLogger(__name__)


@dataclass
class SearchResult:
    """Summary of one family's search: best CV score, its spread and the train score."""

    name: str
    best_estimator: Pipeline
    best_params: dict
    cv_mean: float
    cv_std: float
    train_mean: float


def search_family(candidate: Candidate, X: pd.DataFrame, y: pd.Series, cfg: dict) -> SearchResult:
    """Run a randomised CV search for one model family on the training part only."""
    cv = StratifiedKFold(n_splits=cfg["split"]["cv_folds"], shuffle=True, random_state=cfg["split"]["random_state"])
    search = RandomizedSearchCV(
        build_pipeline(candidate, cfg["features"]["use_engineered"]),
        param_distributions=candidate.param_space,
        n_iter=cfg["search"]["n_iter"],
        scoring=cfg["search"]["scoring"],
        cv=cv,
        n_jobs=cfg["search"]["n_jobs"],
        random_state=cfg["split"]["random_state"],
        return_train_score=True,
        refit=True,
    )
    search.fit(X, y)
    i = search.best_index_
    res = search.cv_results_
    result = SearchResult(
        name=candidate.name,
        best_estimator=search.best_estimator_,
        best_params={k.replace("model__", ""): v for k, v in search.best_params_.items()},
        cv_mean=float(res["mean_test_score"][i]),
        cv_std=float(res["std_test_score"][i]),
        train_mean=float(res["mean_train_score"][i]),
    )
    logger.info("%-13s CV %s = %.4f +/- %.4f (train %.4f, gap %.4f)", candidate.name, cfg["search"]["scoring"],
                result.cv_mean, result.cv_std, result.train_mean, result.train_mean - result.cv_mean)
    return result


def select_best(results: list[SearchResult]) -> SearchResult:
    """Pick the family with the best mean CV score (the test split is not used here)."""
    best = max(results, key=lambda r: r.cv_mean)
    logger.info("Selected %s (CV %.4f)", best.name, best.cv_mean)
    return best


def choose_threshold(pipeline: Pipeline, X: pd.DataFrame, y: pd.Series, cfg: dict) -> tuple[float, float]:
    """Choose the probability cut-off that maximises F1 on out-of-fold predictions.

    The costs of a missed late delivery and of a needless re-route are not given,
    so we optimise the F1 of the positive class, the metric the business scores on.
    """
    cv = StratifiedKFold(n_splits=cfg["split"]["cv_folds"], shuffle=True, random_state=cfg["split"]["random_state"])
    oof = cross_val_predict(pipeline, X, y, cv=cv, method="predict_proba", n_jobs=cfg["search"]["n_jobs"])[:, 1]
    y = np.asarray(y)
    thresholds = np.linspace(0.1, 0.9, 81)
    f1s = []
    for t in thresholds:
        pred = oof >= t
        tp = np.sum(pred & (y == 1))
        fp = np.sum(pred & (y == 0))
        fn = np.sum(~pred & (y == 1))
        f1s.append(2 * tp / max(2 * tp + fp + fn, 1))
    best = int(np.argmax(f1s))
    logger.info("Threshold %.2f gives out-of-fold F1 %.4f (F1 at 0.50: %.4f)",
                thresholds[best], f1s[best], f1s[40])
    return float(thresholds[best]), float(f1s[best])
