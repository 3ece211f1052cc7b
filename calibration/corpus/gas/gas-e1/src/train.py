"""Grouped train/test split and grouped cross-validated model selection.

Rows from one session are strongly correlated (same room, same occupants, sensor drift), and
the holdout contains sessions that never appear in the training data. A random row split would
put parts of the same session on both sides and reward memorising sessions, so every split here
is by ``Session ID``.
"""
from __future__ import annotations

import logging
import time

import pandas as pd
from sklearn.model_selection import GridSearchCV, GroupKFold, GroupShuffleSplit

from src.data import GROUP_COL, TARGET
from src.models import build_pipeline, param_grid

log = logging.getLogger(__name__)


def grouped_train_test_split(df: pd.DataFrame, test_size: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hold back whole sessions as the test split."""
    splitter = GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=seed)
    train_idx, test_idx = next(splitter.split(df, df[TARGET], groups=df[GROUP_COL]))
    train, test = df.iloc[train_idx], df.iloc[test_idx]
    log.info(
        "split: %d train rows (%d sessions), %d test rows (%d sessions)",
        len(train), train[GROUP_COL].nunique(), len(test), test[GROUP_COL].nunique(),
    )
    missing = set(train[TARGET].unique()) ^ set(test[TARGET].unique())
    if missing:
        log.warning("classes %s are absent from one side of the split", missing)
    return train.reset_index(drop=True), test.reset_index(drop=True)


def search_models(train: pd.DataFrame, cfg: dict) -> tuple[pd.DataFrame, dict]:
    """Tune every enabled family with GridSearchCV over GroupKFold; return a results table and the fitted searches."""
    seed = cfg["split"]["random_state"]
    cv = GroupKFold(n_splits=cfg["split"]["cv_folds"])
    X, y, groups = train, train[TARGET], train[GROUP_COL]

    rows, searches = [], {}
    for name, spec in cfg["models"].items():
        if not spec.get("enabled", True):
            continue
        start = time.perf_counter()
        search = GridSearchCV(
            build_pipeline(name, cfg["features"], seed),
            param_grid(spec.get("params", {})),
            scoring=cfg.get("scoring", "f1_macro"),
            cv=cv,
            n_jobs=1,
            return_train_score=True,
            error_score="raise",
        )
        search.fit(X, y, groups=groups)
        best = search.best_index_
        res = search.cv_results_
        rows.append(
            {
                "model": name,
                "cv_f1_macro": res["mean_test_score"][best],
                "cv_std": res["std_test_score"][best],
                "train_f1_macro": res["mean_train_score"][best],
                "gap": res["mean_train_score"][best] - res["mean_test_score"][best],
                "best_params": {k.replace("clf__", ""): v for k, v in search.best_params_.items()},
                "seconds": round(time.perf_counter() - start, 1),
            }
        )
        searches[name] = search
        log.info("%s: CV macro F1 %.3f +/- %.3f (train %.3f) with %s",
                 name, rows[-1]["cv_f1_macro"], rows[-1]["cv_std"], rows[-1]["train_f1_macro"], rows[-1]["best_params"])
    table = pd.DataFrame(rows).sort_values("cv_f1_macro", ascending=False).reset_index(drop=True)
    return table, searches
