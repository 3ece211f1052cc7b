"""Model families, hyper-parameter search spaces and cross-validated tuning."""
import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from lightgbm import LGBMClassifier
from scipy.stats import loguniform, randint, uniform
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import RandomizedSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline

from features import build_preprocessor

logger = logging.getLogger(__name__)


@dataclass
class ModelSpec:
    """A model family: estimator, whether it needs scaled inputs, and its search space."""
    estimator: object
    scale: bool
    space: dict


def model_specs(seed: int) -> dict:
    """Three families of increasing flexibility.

    * logreg: additive, well-calibrated baseline; needs scaling.
    * random_forest: bagging of deep trees, low variance, finds interactions.
    * lightgbm: boosting, usually the best bias/variance balance on tabular data.
    Class weights compensate for the 23% positive rate.
    """
    return {
        "logreg": ModelSpec(
            LogisticRegression(max_iter=3000, class_weight="balanced"), True,
            {"model__C": loguniform(1e-3, 1e2)}),
        "random_forest": ModelSpec(
            RandomForestClassifier(n_estimators=150, class_weight="balanced_subsample",
                                   random_state=seed, n_jobs=1), False,
            {"model__max_depth": [6, 10, 16, None], "model__min_samples_leaf": randint(1, 20),
             "model__max_features": ["sqrt", 0.5]}),
        "lightgbm": ModelSpec(
            LGBMClassifier(n_estimators=300, class_weight="balanced", random_state=seed,
                           n_jobs=1, verbose=-1), False,
            {"model__learning_rate": loguniform(0.01, 0.2), "model__num_leaves": randint(8, 64),
             "model__min_child_samples": randint(10, 80), "model__subsample": uniform(0.6, 0.4),
             "model__subsample_freq": [1], "model__colsample_bytree": uniform(0.6, 0.4)}),
    }


def tune_model(name: str, spec: ModelSpec, X: pd.DataFrame, y: pd.Series,
               folds: int, n_iter: int, seed: int) -> RandomizedSearchCV:
    """Random search on the training split; preprocessing is refitted inside every fold."""
    pipe = Pipeline([("prep", build_preprocessor(scale=spec.scale)), ("model", spec.estimator)])
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    search = RandomizedSearchCV(pipe, spec.space, n_iter=n_iter, scoring="f1", cv=cv,
                                random_state=seed, return_train_score=True, n_jobs=1)
    search.fit(X, y)
    best = search.best_index_
    res = search.cv_results_
    logger.info("%-13s CV F1 %.3f ± %.3f | train F1 %.3f | %s", name,
                res["mean_test_score"][best], res["std_test_score"][best],
                res["mean_train_score"][best], search.best_params_)
    return search
