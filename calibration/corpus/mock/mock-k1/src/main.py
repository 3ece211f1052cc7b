"""Orchestrator: load -> validate -> clean -> features -> split -> tune -> evaluate -> predict.

Usage:  python -m src.main --config config.yaml [--models hist_gb logreg]
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import joblib
import pandas as pd
import yaml
from sklearn.model_selection import train_test_split

from .cleaning import clean_deliveries, drop_duplicate_deliveries
from .data import DataValidationError, load_table, validate
from .features import CATEGORICAL_FEATURES, NUMERIC_FEATURES, add_features
from .modelling import choose_threshold, evaluate, tune_models

logger = logging.getLogger("latepred")


def prepare(df: pd.DataFrame, cfg: dict, target: str | None) -> pd.DataFrame:
    """Shared path for training and holdout rows: validate, clean, add features."""
    df = validate(df, cfg["data"]["id_column"], target=target)
    df = clean_deliveries(df, cfg["cleaning"])
    return add_features(df)


def run(cfg: dict) -> None:
    data_cfg, out_dir = cfg["data"], Path(cfg["output"]["dir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    target, id_col = data_cfg["target"], data_cfg["id_column"]
    features = NUMERIC_FEATURES + CATEGORICAL_FEATURES

    raw = load_table(data_cfg["train_db"], data_cfg["table"])
    df = drop_duplicate_deliveries(prepare(raw, cfg, target), id_col)
    if len(df) < 500:
        raise DataValidationError(f"Only {len(df)} usable training rows; need at least 500")

    X_train, X_test, y_train, y_test = train_test_split(
        df[features], df[target], test_size=cfg["split"]["test_size"], stratify=df[target],
        random_state=cfg["split"]["random_state"])
    logger.info("Train %d rows (%.1f%% late), test %d rows", len(X_train), 100 * y_train.mean(), len(X_test))

    results = tune_models(X_train, y_train, cfg)
    pd.DataFrame([{"model": r.name, "cv_mean": r.cv_mean, "cv_std": r.cv_std, "train_score": r.train_score,
                   "params": r.best_params} for r in results]).to_csv(out_dir / "cv_summary.csv", index=False)
    best = max(results, key=lambda r: r.cv_mean)
    logger.info("Selected %s on CV %s", best.name, cfg["cv"]["scoring"])

    threshold = choose_threshold(best.estimator, X_train, y_train, cfg)
    metrics = evaluate(y_test, best.estimator.predict_proba(X_test)[:, 1], threshold)
    metrics["model"] = best.name
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2))
    logger.info("TEST  F1(late)=%.4f  P=%.4f  R=%.4f  ROC-AUC=%.4f  PR-AUC=%.4f  acc=%.4f  (all-late F1 %.4f)",
                metrics["f1_late"], metrics["precision_late"], metrics["recall_late"], metrics["roc_auc"],
                metrics["pr_auc"], metrics["accuracy"], metrics["baseline_f1_all_late"])

    # refit the chosen configuration on all labelled rows before scoring the holdout
    final = best.estimator.fit(df[features], df[target])
    joblib.dump({"model": final, "threshold": threshold}, out_dir / "model.joblib")

    holdout_path = Path(data_cfg["holdout_db"])
    if not holdout_path.is_file():
        logger.warning("No holdout database at %s; skipping predictions", holdout_path)
        return
    hold = prepare(load_table(holdout_path, data_cfg["table"]), cfg, target=None)
    proba = final.predict_proba(hold[features])[:, 1]
    pd.DataFrame({id_col: hold[id_col], target: (proba >= threshold).astype(int), f"{target}_proba": proba.round(5)}
                 ).to_csv(out_dir / cfg["output"]["predictions_file"], index=False)
    logger.info("Wrote %d predictions to %s", len(hold), out_dir / cfg["output"]["predictions_file"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train and apply the late-delivery model")
    parser.add_argument("--config", default="config.yaml")
    parser.add_argument("--models", nargs="*", help="subset of models from config to run")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        cfg = yaml.safe_load(Path(args.config).read_text())
        if args.models:
            for name in cfg["models"]:
                cfg["models"][name]["enabled"] = name in args.models
        run(cfg)
    except (FileNotFoundError, DataValidationError, KeyError, ValueError) as exc:
        logger.error("Pipeline failed: %s: %s", type(exc).__name__, exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
