"""Model selection: randomised CV search per family, then threshold choice on out-of-fold scores."""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score, precision_recall_curve
from sklearn.model_selection import RandomizedSearchCV, StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline

from .features import build_preprocessor, feature_frame
from .models import get_spec

logger = logging.getLogger(__name__)


@dataclass
class SearchResult:
    """Outcome of tuning one model family."""

    name: str
    pipeline: Pipeline
    cv_mean: float
    cv_std: float
    train_mean: float
    params: dict


def make_pipeline(name: str, seed: int) -> Pipeline:
    """Full pipeline for one family: feature derivation -> preprocessing -> estimator."""
    spec = get_spec(name)
    return Pipeline(
        [
            ("features", feature_frame()),
            ("prep", build_preprocessor(scale_numeric=spec.scale_numeric)),
            ("model", spec.build(seed)),
        ]
    )


def tune_family(name: str, X: pd.DataFrame, y: np.ndarray, cfg: dict) -> SearchResult:
    """Random search over the family's space with stratified K-fold CV on the training split."""
    seed = cfg["split"]["random_state"]
    cv = StratifiedKFold(n_splits=cfg["split"]["cv_folds"], shuffle=True, random_state=seed)
    search = RandomizedSearchCV(
        make_pipeline(name, seed),
        param_distributions=get_spec(name).param_space,
        n_iter=cfg["search"]["n_iter"],
        scoring=cfg["search"]["scoring"],
        cv=cv,
        random_state=seed,
        return_train_score=True,
        n_jobs=1,
        refit=True,
    )
    search.fit(X, y)
    i = search.best_index_
    res = search.cv_results_
    result = SearchResult(
        name=name,
        pipeline=search.best_estimator_,
        cv_mean=float(res["mean_test_score"][i]),
        cv_std=float(res["std_test_score"][i]),
        train_mean=float(res["mean_train_score"][i]),
        params={k.replace("model__", ""): (v.item() if hasattr(v, "item") else v)
                for k, v in search.best_params_.items()},
    )
    logger.info(
        "%-20s CV %s = %.4f +/- %.4f (train %.4f, gap %.4f)",
        name,
        cfg["search"]["scoring"],
        result.cv_mean,
        result.cv_std,
        result.train_mean,
        result.train_mean - result.cv_mean,
    )
    return result


def choose_threshold(pipeline: Pipeline, X: pd.DataFrame, y: np.ndarray, cfg: dict) -> tuple[float, float]:
    """Pick the probability cut-off that maximises F1 on out-of-fold predictions of the training split.

    The test split is never used here, so the reported test F1 stays an unbiased estimate.
    Returns (threshold, out-of-fold F1 at that threshold).
    """
    if not cfg["threshold"]["optimise"]:
        t = float(cfg["threshold"]["default"])
        return t, float("nan")
    seed = cfg["split"]["random_state"]
    cv = StratifiedKFold(n_splits=cfg["split"]["cv_folds"], shuffle=True, random_state=seed)
    oof = cross_val_predict(pipeline, X, y, cv=cv, method="predict_proba", n_jobs=1)[:, 1]
    precision, recall, thresholds = precision_recall_curve(y, oof)
    f1 = 2 * precision * recall / np.clip(precision + recall, 1e-12, None)
    best = int(np.nanargmax(f1[:-1]))
    t = float(thresholds[best])
    logger.info("threshold chosen on OOF predictions: %.3f (OOF F1 %.4f, F1@0.5 %.4f)",
                t, f1[best], f1_score(y, (oof >= 0.5).astype(int)))
    return t, float(f1[best])


def select_best(results: list[SearchResult]) -> SearchResult:
    """Winner = highest mean CV score; ties (within one CV std) go to the simpler, lower-gap model."""
    ranked = sorted(results, key=lambda r: r.cv_mean, reverse=True)
    best = ranked[0]
    for r in ranked[1:]:
        close = best.cv_mean - r.cv_mean < best.cv_std
        if close and (r.train_mean - r.cv_mean) < (best.train_mean - best.cv_mean) / 2:
            logger.info("%s is within one CV std of %s with a much smaller train/CV gap: preferring it",
                        r.name, best.name)
            best = r
            break
    return best
