"""Randomized search per model family, ablation of the engineered features."""
import logging
import time

import numpy as np
import pandas as pd
from sklearn.model_selection import RandomizedSearchCV, StratifiedKFold, cross_validate

from .models import SEARCH_SPACES, build_pipeline

log = logging.getLogger(__name__)


def search_model(name, X, y, cfg):
    cv = StratifiedKFold(cfg["split"]["cv_folds"], shuffle=True, random_state=cfg["seed"])
    search = RandomizedSearchCV(
        build_pipeline(name, cfg),
        SEARCH_SPACES[name],
        n_iter=cfg["search"]["models"][name]["n_iter"],
        scoring={"ap": "average_precision", "roc_auc": "roc_auc", "f1": "f1"},
        refit="ap",
        cv=cv,
        n_jobs=cfg["search"]["n_jobs"],
        random_state=cfg["seed"],
        return_train_score=True,
        error_score="raise",
    )
    t0 = time.time()
    search.fit(X, y)
    i = search.best_index_
    r = search.cv_results_
    summary = {
        "model": name,
        "cv_ap_mean": r["mean_test_ap"][i], "cv_ap_std": r["std_test_ap"][i],
        "train_ap_mean": r["mean_train_ap"][i],
        "cv_roc_auc": r["mean_test_roc_auc"][i], "cv_f1@0.5": r["mean_test_f1"][i],
        "n_iter": len(r["params"]), "secs": round(time.time() - t0, 1),
    }
    log.info("%s best AP %.4f (+/- %.4f), train AP %.4f, %s s", name, summary["cv_ap_mean"],
             summary["cv_ap_std"], summary["train_ap_mean"], summary["secs"])
    log.info("%s best params: %s", name, search.best_params_)
    return search, summary


def run_searches(X, y, cfg):
    results, searches = [], {}
    for name in cfg["search"]["models"]:
        s, summ = search_model(name, X, y, cfg)
        searches[name] = s
        results.append(summ)
    table = pd.DataFrame(results).sort_values("cv_ap_mean", ascending=False)
    return searches, table


def ablation(X, y, cfg, best_params):
    """Same model + params, with and without the engineered features."""
    name = cfg["ablation"]["model"]
    cv = StratifiedKFold(cfg["split"]["cv_folds"], shuffle=True, random_state=cfg["seed"])
    rows = []
    for eng in [False, True]:
        pipe = build_pipeline(name, cfg, engineered=eng).set_params(**best_params)
        sc = cross_validate(pipe, X, y, cv=cv, scoring=["average_precision", "roc_auc"], n_jobs=1)
        rows.append({"features": "engineered" if eng else "base",
                     "cv_ap": sc["test_average_precision"].mean(),
                     "cv_ap_std": sc["test_average_precision"].std(),
                     "cv_roc_auc": sc["test_roc_auc"].mean()})
    return pd.DataFrame(rows)
