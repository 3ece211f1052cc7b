"""Data split, model definitions and hyper-parameter search."""
import logging
from typing import Any, Dict, Tuple

import pandas as pd
from sklearn.base import ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline

from .transform import build_preprocessor

logger = logging.getLogger(__name__)


def split_data(X: pd.DataFrame, y: pd.Series, cfg: Dict[str, Any]) -> Tuple:
    """Stratified train / validation / test split."""
    s = cfg["split"]
    X_tmp, X_test, y_tmp, y_test = train_test_split(
        X, y, test_size=s["test_size"], stratify=y, random_state=s["random_state"])
    val_frac = s["val_size"] / (1 - s["test_size"])
    X_train, X_val, y_train, y_val = train_test_split(
        X_tmp, y_tmp, test_size=val_frac, stratify=y_tmp, random_state=s["random_state"])
    logger.info("Split sizes: train=%d val=%d test=%d", len(X_train), len(X_val), len(X_test))
    return X_train, X_val, X_test, y_train, y_val, y_test


def _make_estimator(name: str, seed: int) -> ClassifierMixin:
    """Model factory. Both models re-weight classes because only ~11% are positive."""
    if name == "random_forest":
        return RandomForestClassifier(class_weight="balanced_subsample", n_jobs=1, random_state=seed)
    if name == "hist_gradient_boosting":
        return HistGradientBoostingClassifier(class_weight="balanced", max_iter=200,
                                              early_stopping=True, random_state=seed)
    raise ValueError(f"Unknown model name in config: {name}")


def tune_models(X_train: pd.DataFrame, y_train: pd.Series, cfg: Dict[str, Any]) -> Dict[str, GridSearchCV]:
    """Grid search every enabled model on the training set with stratified CV."""
    t = cfg["training"]
    seed = cfg["split"]["random_state"]
    cv = StratifiedKFold(n_splits=t["cv_folds"], shuffle=True, random_state=seed)
    fitted = {}
    for name, spec in t["models"].items():
        if not spec.get("enabled", True):
            logger.info("Skipping %s (disabled in config)", name)
            continue
        pipe = Pipeline([("prep", build_preprocessor(cfg)), ("model", _make_estimator(name, seed))])
        grid = {f"model__{k}": v for k, v in spec["params"].items()}
        search = GridSearchCV(pipe, grid, scoring=t["scoring"], cv=cv, n_jobs=1, return_train_score=True)
        search.fit(X_train, y_train)
        res = pd.DataFrame(search.cv_results_)
        logger.info("%s: best CV %s=%.4f (train %.4f) params=%s", name, t["scoring"],
                    search.best_score_, res.loc[search.best_index_, "mean_train_score"],
                    search.best_params_)
        fitted[name] = search
    if not fitted:
        raise ValueError("No model enabled in config")
    return fitted
