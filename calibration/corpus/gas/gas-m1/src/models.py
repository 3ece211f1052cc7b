"""Candidate models, grouped cross-validation and the hyper-parameter search."""
from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import randint
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, RandomizedSearchCV, cross_validate
from sklearn.pipeline import Pipeline

log = logging.getLogger(__name__)


def make_candidates(model_cfg: dict[str, Any], seed: int) -> dict[str, Any]:
    """Build the three model families compared in the pipeline.

    * logistic regression - linear baseline: tells us how far a straight boundary on the
      sensor readings gets;
    * random forest - bagged trees, robust to the skewed sensors and the imputed values,
      captures the non-linear CO-level / time-of-day effects seen in the EDA;
    * histogram gradient boosting - boosted trees, usually the strongest on tabular data.
    All use balanced class weights: High Activity is only 11 % of the rows and the
    primary metric (macro F1) weights it as much as Low Activity.
    """
    return {
        "logreg": LogisticRegression(
            C=model_cfg["logreg"]["C"], max_iter=2000, class_weight="balanced"
        ),
        "random_forest": RandomForestClassifier(
            n_estimators=model_cfg["random_forest"]["n_estimators"],
            min_samples_leaf=model_cfg["random_forest"]["min_samples_leaf"],
            class_weight="balanced", n_jobs=1, random_state=seed,
        ),
        "hist_gb": HistGradientBoostingClassifier(
            learning_rate=model_cfg["hist_gb"]["learning_rate"],
            max_iter=model_cfg["hist_gb"]["max_iter"],
            class_weight="balanced", early_stopping=True, random_state=seed,
        ),
    }


# Random-search spaces; only the families we may pick as final need one.
SEARCH_SPACES: dict[str, dict[str, Any]] = {
    "random_forest": {
        "model__n_estimators": randint(100, 300),
        "model__min_samples_leaf": randint(1, 15),
        "model__max_features": ["sqrt", 0.5, 0.8],
        "model__max_depth": [None, 12, 20],
    },
    "hist_gb": {
        "model__learning_rate": [0.03, 0.05, 0.1],
        "model__max_leaf_nodes": randint(8, 40),
        "model__min_samples_leaf": randint(10, 60),
        "model__l2_regularization": [0.0, 0.1, 1.0],
    },
    "logreg": {"model__C": [0.01, 0.1, 1.0, 10.0]},
}


def compare_models(
    candidates: dict[str, Any],
    preprocessor: ColumnTransformer,
    X: pd.DataFrame,
    y: pd.Series,
    groups: pd.Series,
    folds: int,
) -> pd.DataFrame:
    """Grouped k-fold CV of every candidate; returns a table sorted by mean macro F1.

    Sessions are the groups: the hold-out data comes from sessions we never see, so a
    random row split would let the model memorise session-specific sensor baselines.
    """
    cv = GroupKFold(n_splits=folds)
    rows = []
    for name, model in candidates.items():
        pipe = Pipeline([("prep", clone(preprocessor)), ("model", model)])
        scores = cross_validate(
            pipe, X, y, groups=groups, cv=cv, n_jobs=1,
            scoring=["f1_macro", "balanced_accuracy"], return_train_score=True,
        )
        rows.append({
            "model": name,
            "cv_f1_macro": scores["test_f1_macro"].mean(),
            "cv_f1_macro_std": scores["test_f1_macro"].std(),
            "train_f1_macro": scores["train_f1_macro"].mean(),
            "cv_bal_acc": scores["test_balanced_accuracy"].mean(),
        })
        log.info("%-13s CV macro-F1 %.3f +/- %.3f (train %.3f)", name,
                 rows[-1]["cv_f1_macro"], rows[-1]["cv_f1_macro_std"], rows[-1]["train_f1_macro"])
    return pd.DataFrame(rows).sort_values("cv_f1_macro", ascending=False).reset_index(drop=True)


def tune(
    name: str,
    model: Any,
    preprocessor: ColumnTransformer,
    X: pd.DataFrame,
    y: pd.Series,
    groups: pd.Series,
    folds: int,
    n_iter: int,
    scoring: str,
    seed: int,
) -> tuple[Pipeline, dict[str, Any], float]:
    """Random search over SEARCH_SPACES[name] with grouped CV; returns the refitted best pipeline."""
    pipe = Pipeline([("prep", clone(preprocessor)), ("model", model)])
    search = RandomizedSearchCV(
        pipe, SEARCH_SPACES[name], n_iter=n_iter, scoring=scoring,
        cv=GroupKFold(n_splits=folds), random_state=seed, n_jobs=1, refit=True,
    )
    search.fit(X, y, groups=groups)
    best = {k.replace("model__", ""): v for k, v in search.best_params_.items()}
    log.info("tuned %s: CV %s %.3f with %s", name, scoring, search.best_score_, best)
    return search.best_estimator_, best, float(search.best_score_)


def fit_plain(model: Any, preprocessor: ColumnTransformer, X: pd.DataFrame, y: pd.Series) -> Pipeline:
    """Fit preprocessing + model without a search (used when tuning is disabled)."""
    pipe = Pipeline([("prep", clone(preprocessor)), ("model", clone(model))])
    return pipe.fit(X, y)


def majority_baseline_f1(y_train: pd.Series, y_test: pd.Series) -> float:
    """Macro F1 of always predicting the most frequent training class (the bar to beat)."""
    from sklearn.metrics import f1_score

    majority = y_train.mode().iloc[0]
    return float(f1_score(y_test, np.full(len(y_test), majority), average="macro"))
