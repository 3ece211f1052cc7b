"""Stage 4: model selection by stratified cross-validation on the training split.

Three model families are compared, each tuned with GridSearchCV inside a full
Pipeline (preprocessing + classifier), so imputation, scaling and encoding are
re-fitted within every fold and nothing is learnt from the validation folds.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_predict, cross_val_score
from sklearn.pipeline import Pipeline

from src.features import build_preprocessor

logger = logging.getLogger(__name__)


def _logistic_regression(seed: int) -> LogisticRegression:
    # linear baseline: interpretable coefficients, needs the engineered interactions to see them
    return LogisticRegression(class_weight="balanced", max_iter=2000, random_state=seed)


def _random_forest(seed: int) -> RandomForestClassifier:
    # bagged trees: captures non-linear effects (hour, distance x vehicle) with low variance
    return RandomForestClassifier(class_weight="balanced_subsample", n_jobs=1, random_state=seed)


def _hist_gradient_boosting(seed: int) -> HistGradientBoostingClassifier:
    # boosted trees: usually strongest on tabular data, reduces bias step by step
    return HistGradientBoostingClassifier(class_weight="balanced", early_stopping=False, random_state=seed)


# name in config.yaml -> constructor
MODEL_REGISTRY: dict[str, Callable[[int], Any]] = {
    "logistic_regression": _logistic_regression,
    "random_forest": _random_forest,
    "hist_gradient_boosting": _hist_gradient_boosting,
}


@dataclass
class SelectionResult:
    """Everything the evaluation stage needs from model selection."""
    best_name: str
    best_pipeline: Pipeline
    threshold: float
    cv_table: pd.DataFrame
    ablation: dict[str, float]


def make_pipeline(name: str, cfg: dict[str, Any]) -> Pipeline:
    """Preprocessing + classifier for one registered model family."""
    if name not in MODEL_REGISTRY:
        raise KeyError(f"unknown model '{name}'; choose from {sorted(MODEL_REGISTRY)}")
    seed = cfg["split"]["random_state"]
    return Pipeline([("prep", build_preprocessor(cfg)), ("clf", MODEL_REGISTRY[name](seed))])


def tune_models(X: pd.DataFrame, y: pd.Series, cfg: dict[str, Any]) -> tuple[dict[str, GridSearchCV], pd.DataFrame]:
    """Grid-search every enabled family; return the fitted searches and a summary table."""
    split_cfg, train_cfg = cfg["split"], cfg["training"]
    cv = StratifiedKFold(n_splits=split_cfg["cv_folds"], shuffle=True, random_state=split_cfg["random_state"])
    searches: dict[str, GridSearchCV] = {}
    rows = []
    for name, model_cfg in train_cfg["models"].items():
        if not model_cfg.get("enabled", True):
            continue
        search = GridSearchCV(make_pipeline(name, cfg), model_cfg["params"], scoring=train_cfg["scoring"],
                              cv=cv, n_jobs=1, return_train_score=True, refit=True)
        search.fit(X, y)
        searches[name] = search
        best = search.best_index_
        res = search.cv_results_
        rows.append({
            "model": name,
            "best_params": search.best_params_,
            "cv_f1_mean": res["mean_test_score"][best],
            "cv_f1_std": res["std_test_score"][best],
            "train_f1_mean": res["mean_train_score"][best],
            "train_minus_cv": res["mean_train_score"][best] - res["mean_test_score"][best],
            "n_candidates": len(res["params"]),
        })
        logger.info("%-24s CV F1 %.3f +/- %.3f | train F1 %.3f | %s", name, res["mean_test_score"][best],
                    res["std_test_score"][best], res["mean_train_score"][best], search.best_params_)
    if not searches:
        raise ValueError("no model is enabled in config.training.models")
    table = pd.DataFrame(rows).sort_values("cv_f1_mean", ascending=False).reset_index(drop=True)
    return searches, table


def choose_threshold(pipeline: Pipeline, X: pd.DataFrame, y: pd.Series, cfg: dict[str, Any]) -> float:
    """Pick the probability threshold that maximises out-of-fold F1 on the training split.

    Using out-of-fold probabilities keeps the test split untouched for the final estimate.
    """
    thr_cfg, split_cfg = cfg["threshold"], cfg["split"]
    if not thr_cfg.get("optimise", True):
        return 0.5
    cv = StratifiedKFold(n_splits=split_cfg["cv_folds"], shuffle=True, random_state=split_cfg["random_state"] + 1)
    oof = cross_val_predict(clone(pipeline), X, y, cv=cv, method="predict_proba", n_jobs=1)[:, 1]
    grid = np.arange(thr_cfg["grid_start"], thr_cfg["grid_stop"] + 1e-9, thr_cfg["grid_step"])
    scores = [f1_score(y, (oof >= t).astype(int), zero_division=0) for t in grid]
    best = float(grid[int(np.argmax(scores))])
    logger.info("threshold: out-of-fold F1 %.3f at 0.50 -> %.3f at %.2f",
                f1_score(y, (oof >= 0.5).astype(int)), max(scores), best)
    return round(best, 2)


def feature_ablation(pipeline: Pipeline, X: pd.DataFrame, y: pd.Series, cfg: dict[str, Any]) -> dict[str, float]:
    """CV F1 of the winning model with and without the engineered features."""
    split_cfg = cfg["split"]
    cv = StratifiedKFold(n_splits=split_cfg["cv_folds"], shuffle=True, random_state=split_cfg["random_state"])
    out = {}
    for flag in (False, True):
        # the column lists of the ColumnTransformer depend on the flag, so rebuild the preprocessor
        flag_cfg = {**cfg, "features": {**cfg["features"], "use_engineered": flag}}
        candidate = clone(pipeline).set_params(prep=build_preprocessor(flag_cfg))
        score = cross_val_score(candidate, X, y, cv=cv, scoring=cfg["training"]["scoring"], n_jobs=1).mean()
        out["with_engineered" if flag else "raw_features_only"] = float(score)
    logger.info("ablation: CV F1 raw features %.3f -> with engineered features %.3f",
                out["raw_features_only"], out["with_engineered"])
    return out


def select_model(X: pd.DataFrame, y: pd.Series, cfg: dict[str, Any]) -> SelectionResult:
    """Tune all families, keep the best by mean CV F1, then choose its threshold."""
    searches, table = tune_models(X, y, cfg)
    best_name = table.loc[0, "model"]
    best_pipeline = searches[best_name].best_estimator_
    logger.info("selected model: %s", best_name)
    ablation = feature_ablation(best_pipeline, X, y, cfg)
    threshold = choose_threshold(best_pipeline, X, y, cfg)
    return SelectionResult(best_name, best_pipeline, threshold, table, ablation)
