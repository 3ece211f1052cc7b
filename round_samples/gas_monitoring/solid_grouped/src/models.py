"""Candidate models, the grouped split and the grid search."""
import logging

import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedGroupKFold
from sklearn.pipeline import Pipeline

logger = logging.getLogger(__name__)


def make_model(name, random_state):
    """Return an untrained estimator by name.

    Both use class_weight='balanced' because High Activity is only ~11% of rows.
    """
    models = {
        # linear baseline: fast, interpretable, but only additive effects
        "logistic_regression": LogisticRegression(
            max_iter=2000, class_weight="balanced", random_state=random_state),
        # bagged trees: non-linear, handles the non-monotonic CO / sensor relations
        # and interactions without manual feature crosses
        "random_forest": RandomForestClassifier(
            n_estimators=100, class_weight="balanced", random_state=random_state, n_jobs=1),
    }
    if name not in models:
        raise ValueError(f"Unknown model '{name}'. Choose from {list(models)}")
    return models[name]


def grouped_train_test_split(df, target, group_col, test_size, random_state):
    """Split by session so no session has rows in both train and test.

    Rows of one session share the same room and time period, so a random row split
    would let the model memorise session-specific sensor levels (leakage).
    StratifiedGroupKFold keeps the class mix of the test part close to the overall one.
    """
    n_splits = max(2, round(1 / test_size))
    splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    train_idx, test_idx = next(splitter.split(df, df[target], groups=df[group_col]))
    return df.iloc[train_idx].reset_index(drop=True), df.iloc[test_idx].reset_index(drop=True)


def tune_models(X, y, groups, preprocessor, cfg):
    """Grid-search every configured model with grouped CV.

    Returns the fitted searches, the best setting per model, and every grid point.
    """
    split_cfg, train_cfg = cfg["split"], cfg["training"]
    cv = StratifiedGroupKFold(n_splits=split_cfg["cv_folds"], shuffle=True,
                              random_state=split_cfg["random_state"])
    searches, rows, all_results = {}, [], []
    for name in train_cfg["models"]:
        pipe = Pipeline([("prep", preprocessor), ("model", make_model(name, split_cfg["random_state"]))])
        grid = train_cfg["param_grids"].get(name, {})
        search = GridSearchCV(pipe, grid, scoring=train_cfg["scoring"], cv=cv,
                              n_jobs=train_cfg["n_jobs"], return_train_score=True)
        search.fit(X, y, groups=groups)
        searches[name] = search

        res = pd.DataFrame(search.cv_results_)
        all_results.append(pd.DataFrame({
            "model": name,
            "params": res["params"].astype(str),
            "cv_mean": res["mean_test_score"],
            "cv_std": res["std_test_score"],
            "train_mean": res["mean_train_score"],
        }))
        best = res.loc[search.best_index_]
        rows.append({
            "model": name,
            "best_params": search.best_params_,
            "cv_mean": best["mean_test_score"],
            "cv_std": best["std_test_score"],
            "train_mean": best["mean_train_score"],
        })
        logger.info("%s: best CV %s = %.3f (+/- %.3f) with %s", name, train_cfg["scoring"],
                    best["mean_test_score"], best["std_test_score"], search.best_params_)

    summary = pd.DataFrame(rows).sort_values("cv_mean", ascending=False).reset_index(drop=True)
    grid_results = pd.concat(all_results, ignore_index=True)
    return searches, summary, grid_results
