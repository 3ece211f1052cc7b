"""Orchestrator: each stage is a function call; artefacts go to the output folder."""
import json
import logging
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.model_selection import RandomizedSearchCV, StratifiedKFold, train_test_split

from .cleaning import clean
from .data import read_table, validate
from .evaluation import (classification_metrics, compare_cv, expected_cost_threshold,
                         learning_curve_table)
from .features import add_engineered, feature_columns
from .inference import write_holdout_predictions
from .modelling import make_gbm, make_logistic

logger = logging.getLogger(__name__)


def prepare_training_frame(cfg: dict) -> tuple[pd.DataFrame, np.ndarray]:
    """Load, validate, clean and add features; return features frame and 0/1 target."""
    d = cfg["data"]
    raw = read_table(d["train_db"], d["table"])
    frame = add_engineered(clean(validate(raw, d["id_column"], d["target"], d["min_rows"]), cfg))
    y = (frame[d["target"]] == d["positive_label"]).astype(int).to_numpy()
    logger.info("positive rate %.2f%% over %d rows", 100 * y.mean(), len(y))
    return frame, y


def split(frame: pd.DataFrame, y: np.ndarray, cfg: dict):
    """Stratified 60/20/20: train (search + CV), validation (threshold), test (reported once)."""
    s = cfg["split"]
    X_rest, X_test, y_rest, y_test = train_test_split(frame, y, test_size=s["test_size"],
                                                      stratify=y, random_state=s["seed"])
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=s["validation_size"],
                                                      stratify=y_rest, random_state=s["seed"])
    logger.info("split sizes: train=%d validation=%d test=%d", len(X_train), len(X_val), len(X_test))
    return X_train, X_val, X_test, y_train, y_val, y_test


def tune_gbm(X: pd.DataFrame, y: np.ndarray, cfg: dict, columns: list[str]) -> RandomizedSearchCV:
    """Randomised search over LightGBM settings, scored by PR-AUC in stratified CV."""
    sc, seed = cfg["search"], cfg["split"]["seed"]
    search = RandomizedSearchCV(
        make_gbm(seed, columns), sc["param_distributions"], n_iter=sc["n_iter"],
        scoring=sc["scoring"], cv=StratifiedKFold(sc["cv_folds"], shuffle=True, random_state=seed),
        random_state=seed, n_jobs=1, return_train_score=True, refit=True)
    search.fit(X[columns], y)
    res = pd.DataFrame(search.cv_results_)
    top = res.sort_values("rank_test_score").head(5)
    for row in top.itertuples():
        logger.info("rank %d  cv=%.4f+/-%.4f  train=%.4f  %s", row.rank_test_score, row.mean_test_score,
                    row.std_test_score, row.mean_train_score, row.params)
    return search


def run(cfg: dict) -> dict:
    """Full training run followed by holdout scoring."""
    out_dir = Path(cfg["output"]["dir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    seed, sc = cfg["split"]["seed"], cfg["search"]

    frame, y = prepare_training_frame(cfg)
    X_train, X_val, X_test, y_train, y_val, y_test = split(frame, y, cfg)
    columns = feature_columns(engineered=True)

    # Stage: search the boosting model on the training part only.
    search = tune_gbm(X_train, y_train, cfg, columns)
    gbm = search.best_estimator_
    best_params = {k.replace("model__", ""): v for k, v in search.best_params_.items()}
    logger.info("best LightGBM params: %s", best_params)

    # Stage: measured comparison with the linear reference and with the tuned GBM minus
    # the engineered features (ablation), on identical folds.
    comparison = {
        "logistic (all features)": (make_logistic(seed, columns, cfg["baseline"]["C"]), columns),
        "lightgbm tuned (all features)": (gbm, columns),
    }
    if cfg["diagnostics"]["run_ablation"]:
        base_cols = feature_columns(engineered=False)
        ablated = make_gbm(seed, base_cols).set_params(**search.best_params_)
        comparison["lightgbm tuned (raw features)"] = (ablated, base_cols)
    cmp_table = compare_cv(comparison, X_train, y_train, sc["cv_folds"], seed, sc["scoring"])

    # Stage: bias-variance diagnostics for the chosen configuration.
    lc = learning_curve_table(gbm, X_train[columns], y_train, cfg["diagnostics"]["learning_curve_sizes"],
                              sc["cv_folds"], seed, sc["scoring"])

    # Stage: decision threshold from expected cost, on validation (never on test).
    t = cfg["threshold"]
    val_proba = gbm.predict_proba(X_val[columns])[:, 1]
    threshold, cost_table = expected_cost_threshold(y_val, val_proba, t["cost_false_positive"],
                                                    t["cost_false_negative"])
    val_metrics = classification_metrics(y_val, val_proba, threshold)

    # Stage: one look at the test split.
    test_proba = gbm.predict_proba(X_test[columns])[:, 1]
    test_metrics = classification_metrics(y_test, test_proba, threshold)
    test_at_half = classification_metrics(y_test, test_proba, 0.5)
    prevalence = float(y_test.mean())
    logger.info("TEST (threshold %.2f): PR-AUC %.4f (no-skill %.4f)  ROC-AUC %.4f  F1 %.4f  "
                "precision %.4f  recall %.4f  accuracy %.4f", threshold, test_metrics["pr_auc"], prevalence,
                test_metrics["roc_auc"], test_metrics["f1"], test_metrics["precision"],
                test_metrics["recall"], test_metrics["accuracy"])
    logger.info("TEST confusion at %.2f: %s", threshold, test_metrics["confusion"])
    logger.info("TEST at the default 0.50 cut-off: F1 %.4f recall %.4f", test_at_half["f1"], test_at_half["recall"])
    logger.info("trivial baseline (always 'yes'): F1 %.4f", 2 * prevalence / (1 + prevalence))

    joblib.dump({"model": gbm, "columns": columns, "threshold": threshold}, cfg["output"]["model_file"])
    report = {
        "best_params": best_params, "cv_best_pr_auc": float(search.best_score_),
        "comparison": cmp_table.to_dict(orient="records"), "learning_curve": lc.to_dict(orient="records"),
        "threshold": threshold, "validation": val_metrics, "test": test_metrics,
        "test_at_0.5": test_at_half, "test_prevalence": prevalence,
    }
    Path(cfg["output"]["report_file"]).write_text(json.dumps(report, indent=2, default=float))
    cost_table.to_csv(out_dir / "threshold_costs.csv", index=False)

    write_holdout_predictions(gbm, cfg, columns, threshold)
    return report

