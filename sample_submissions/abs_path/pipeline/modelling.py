"""Preprocessing pipeline, model candidates, hyper-parameter search and evaluation."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (accuracy_score, confusion_matrix, f1_score, precision_score,
                             recall_score, roc_auc_score)
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from pipeline.cleaning import BINARY_FEATURES, CATEGORICAL_FEATURES, NUMERIC_FEATURES

log = logging.getLogger(__name__)


@dataclass
class SearchResult:
    """Outcome of the grid search for one model family."""

    name: str
    estimator: Pipeline
    best_params: dict[str, Any]
    cv_f1: float
    train_f1: float


def make_preprocessor() -> ColumnTransformer:
    """Imputation + scaling for numbers, imputation + one-hot for categories.

    Fitted inside each CV fold, so the medians and category lists never see validation rows.
    """
    numeric = Pipeline([
        ("impute", SimpleImputer(strategy="median")),
        ("scale", StandardScaler()),
    ])
    categorical = Pipeline([
        # missing weather (~10%) is its own category rather than the mode 'clear', which is the
        # weather with the lowest late rate
        ("impute", SimpleImputer(strategy="constant", fill_value="missing")),
        ("encode", OneHotEncoder(handle_unknown="ignore")),
    ])
    return ColumnTransformer([
        ("numeric", numeric, NUMERIC_FEATURES),
        ("binary", "passthrough", BINARY_FEATURES),
        ("categorical", categorical, CATEGORICAL_FEATURES),
    ])


def candidate_models(random_state: int) -> dict[str, Any]:
    """The model families compared. Both re-weight the classes (only ~23% are late)."""
    return {
        "logistic_regression": LogisticRegression(class_weight="balanced", max_iter=2000),
        "hist_gradient_boosting": HistGradientBoostingClassifier(
            class_weight="balanced", random_state=random_state),
    }


def tune(name: str, model: Any, grid: dict[str, list[Any]], X: pd.DataFrame, y: pd.Series,
         folds: int, random_state: int) -> SearchResult:
    """Grid-search one model family with stratified k-fold CV on the training split (F1)."""
    pipe = Pipeline([("prep", make_preprocessor()), ("model", model)])
    param_grid = {f"model__{key}": values for key, values in grid.items()}
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
    search = GridSearchCV(pipe, param_grid, scoring="f1", cv=cv, n_jobs=1, refit=True)
    search.fit(X, y)
    train_f1 = f1_score(y, search.best_estimator_.predict(X))
    log.info("%s: best %s, CV F1 %.3f, train F1 %.3f",
             name, search.best_params_, search.best_score_, train_f1)
    return SearchResult(name, search.best_estimator_, search.best_params_,
                        float(search.best_score_), float(train_f1))


def evaluate(estimator: Pipeline, X: pd.DataFrame, y: pd.Series) -> dict[str, float]:
    """Scores on held-back data; F1 of the late class is the primary metric."""
    predicted = estimator.predict(X)
    proba = estimator.predict_proba(X)[:, 1]
    tn, fp, fn, tp = confusion_matrix(y, predicted, labels=[0, 1]).ravel()
    return {
        "f1": f1_score(y, predicted),
        "precision": precision_score(y, predicted, zero_division=0),
        "recall": recall_score(y, predicted),
        "accuracy": accuracy_score(y, predicted),
        "roc_auc": roc_auc_score(y, proba),
        "tn": int(tn), "fp": int(fp), "fn": int(fn), "tp": int(tp),
    }


def always_late_baseline(y_test: pd.Series) -> dict[str, float]:
    """Scores of the trivial 'always late' rule, to show what the models add."""
    always_late = np.ones(len(y_test), dtype=int)
    return {"f1": f1_score(y_test, always_late), "accuracy": accuracy_score(y_test, always_late)}
