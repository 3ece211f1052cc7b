"""Model families, grouped cross-validated search and model selection.

Readings from the same monitoring session are strongly correlated (a session has its own sensor
baseline and its own activity mix), and the holdout contains whole sessions that never appear in
training. All validation is therefore grouped by `Session ID`: a random row split would let the
model recognise sessions instead of activity and over-state the score.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import loguniform, randint
from sklearn.base import BaseEstimator
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, GroupShuffleSplit, RandomizedSearchCV
from sklearn.pipeline import Pipeline

from .features import build_preprocessor

logger = logging.getLogger(__name__)


@dataclass
class Candidate:
    """A model family with the hyper-parameter space searched for it."""

    estimator: BaseEstimator
    param_space: dict
    rationale: str


def model_registry(random_state: int) -> dict[str, Candidate]:
    """All model families the pipeline can compare; `search.models` in config picks a subset.

    Class weights are 'balanced' everywhere because High Activity is only ~11% of rows and the
    primary metric (macro F1) weighs every class equally.
    """
    return {
        "logistic_regression": Candidate(
            LogisticRegression(max_iter=2000, class_weight="balanced"),
            {"model__C": loguniform(1e-2, 1e1)},
            "linear baseline: separates Low from the rest; High sits between the others",
        ),
        "random_forest": Candidate(
            RandomForestClassifier(class_weight="balanced_subsample", random_state=random_state, n_jobs=1),
            {
                "model__n_estimators": randint(80, 160),
                "model__max_depth": [8, 12, None],
                "model__min_samples_leaf": randint(3, 20),
                "model__max_features": ["sqrt", 0.4],
            },
            "bagging: captures non-linear sensor interactions, robust to the remaining noise",
        ),
        "hist_gradient_boosting": Candidate(
            HistGradientBoostingClassifier(class_weight="balanced", random_state=random_state),
            {
                "model__learning_rate": loguniform(0.03, 0.2),
                "model__max_iter": randint(50, 150),
                "model__max_leaf_nodes": randint(8, 32),
                "model__l2_regularization": loguniform(1e-3, 1.0),
            },
            "boosting: lower bias than the forest, handles missing values natively",
        ),
    }


def group_train_test_split(frame: pd.DataFrame, group_col: str, test_size: float,
                           random_state: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hold out a share of whole sessions for the final, untouched test."""
    splitter = GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=random_state)
    train_idx, test_idx = next(splitter.split(frame, groups=frame[group_col]))
    train, test = frame.iloc[train_idx], frame.iloc[test_idx]
    overlap = set(train[group_col]) & set(test[group_col])
    if overlap:  # defensive: GroupShuffleSplit should never share a session
        raise RuntimeError(f"sessions present in both train and test: {sorted(overlap)[:5]}")
    logger.info("split: %d train rows (%d sessions), %d test rows (%d sessions)",
                len(train), train[group_col].nunique(), len(test), test[group_col].nunique())
    return train.reset_index(drop=True), test.reset_index(drop=True)


def search_models(X: pd.DataFrame, y: pd.Series, groups: pd.Series, config: dict
                  ) -> tuple[Pipeline, str, pd.DataFrame]:
    """Run a grouped randomized search per family; return the best pipeline, its name and a CV table.

    The winner is the family with the highest mean CV macro-F1. The table also reports the
    train score so that the train-vs-CV gap (variance) can be read for each family.
    """
    search_cfg, split_cfg = config["search"], config["split"]
    registry = model_registry(split_cfg["random_state"])
    unknown = [name for name in search_cfg["models"] if name not in registry]
    if unknown:
        raise ValueError(f"unknown model name(s) in config: {unknown}; choose from {list(registry)}")

    cv = GroupKFold(n_splits=split_cfg["cv_folds"])
    rows, fitted = [], {}
    for name in search_cfg["models"]:
        candidate = registry[name]
        pipeline = Pipeline([("prep", build_preprocessor(config["features"])), ("model", candidate.estimator)])
        search = RandomizedSearchCV(
            pipeline, candidate.param_space, n_iter=search_cfg["n_iter"], scoring=search_cfg["scoring"],
            cv=cv, return_train_score=True, random_state=split_cfg["random_state"], n_jobs=1, refit=True,
        )
        search.fit(X, y, groups=groups)
        best = search.best_index_
        res = search.cv_results_
        rows.append({
            "model": name,
            "cv_mean": res["mean_test_score"][best],
            "cv_std": res["std_test_score"][best],
            "train_mean": res["mean_train_score"][best],
            "gap": res["mean_train_score"][best] - res["mean_test_score"][best],
            "best_params": {k.replace("model__", ""): _round(v) for k, v in search.best_params_.items()},
        })
        fitted[name] = search.best_estimator_
        logger.info("%-24s CV %s %.3f +/- %.3f (train %.3f) | %s", name, search_cfg["scoring"],
                    rows[-1]["cv_mean"], rows[-1]["cv_std"], rows[-1]["train_mean"], candidate.rationale)

    table = pd.DataFrame(rows).sort_values("cv_mean", ascending=False).reset_index(drop=True)
    winner = table.loc[0, "model"]
    logger.info("selected %s on CV %s", winner, search_cfg["scoring"])
    return fitted[winner], winner, table


def _round(value: object) -> object:
    """Round floats for readable logs and tables."""
    return round(float(value), 4) if isinstance(value, (float, np.floating)) else value
