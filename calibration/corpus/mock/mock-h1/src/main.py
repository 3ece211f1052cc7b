"""Pipeline entry point: ingest -> validate -> clean -> features -> search -> evaluate -> predict.

Usage:  python -m src.main --config config.yaml [--skip-holdout]
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import joblib
import pandas as pd
from sklearn.model_selection import train_test_split

from src.cleaning import clean_deliveries, drop_duplicates
from src.config import ConfigError, load_config
from src.data import DataValidationError, load_table, validate_schema
from src.evaluate import evaluate
from src.features import make_features
from src.models import get_candidates
from src.predict import predict_frame, write_predictions
from src.train import choose_threshold, search_family, select_best

logger = logging.getLogger("pipeline")
MIN_TRAIN_ROWS = 500  # below this a 5-fold search on a 23% minority is not meaningful


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options; everything else lives in the YAML config."""
    parser = argparse.ArgumentParser(description="Train the late-delivery model and predict the holdout.")
    parser.add_argument("--config", default="config.yaml", help="path to the YAML config")
    parser.add_argument("--skip-holdout", action="store_true", help="train and evaluate only")
    return parser.parse_args(argv)


def run(cfg: dict, skip_holdout: bool = False) -> dict:
    """Run every stage and return the test metrics."""
    dcfg, fcfg = cfg["data"], cfg["features"]

    raw = load_table(dcfg["train_db"], dcfg["table"])
    validate_schema(raw, target=dcfg["target"], min_rows=MIN_TRAIN_ROWS)
    clean = drop_duplicates(clean_deliveries(raw), dcfg["id_column"])
    y = clean[dcfg["target"]].astype(int)
    X = make_features(clean, fcfg["rush_hours"], fcfg["use_engineered"])

    # split first; every fitted statistic is learnt inside the pipeline on the training part
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=cfg["split"]["test_size"], stratify=y, random_state=cfg["split"]["random_state"])
    logger.info("Train %d rows (%.1f%% late), test %d rows", len(X_train), 100 * y_train.mean(), len(X_test))

    results = [search_family(c, X_train, y_train, cfg) for c in get_candidates(cfg["models"])]
    best = select_best(results)
    threshold, oof_f1 = choose_threshold(best.best_estimator, X_train, y_train, cfg)
    test_metrics = evaluate(best.best_estimator, X_test, y_test, threshold)

    out_dir = Path(cfg["output"]["dir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    joblib.dump({"pipeline": best.best_estimator, "threshold": threshold}, out_dir / cfg["output"]["model_file"])
    summary = {
        "selected_model": best.name,
        "oof_f1_at_threshold": oof_f1,
        "cv": {r.name: {"cv_mean": r.cv_mean, "cv_std": r.cv_std, "train_mean": r.train_mean,
                        "best_params": {k: (v.item() if hasattr(v, "item") else v) for k, v in r.best_params.items()}}
               for r in results},
        "test": test_metrics,
    }
    (out_dir / cfg["output"]["metrics_file"]).write_text(json.dumps(summary, indent=2))

    if not skip_holdout:
        holdout = load_table(dcfg["holdout_db"], dcfg["table"])
        validate_schema(holdout)
        write_predictions(predict_frame(best.best_estimator, holdout, cfg, threshold), cfg)
    return summary


def main(argv: list[str] | None = None) -> int:
    """Entry point with a single top-level handler: one clear line and a non-zero exit on failure."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    args = parse_args(argv)
    try:
        run(load_config(args.config), skip_holdout=args.skip_holdout)
    except (ConfigError, DataValidationError, FileNotFoundError) as exc:
        logger.error("%s: %s", type(exc).__name__, exc)
        return 2
    except Exception as exc:  # unexpected: keep the traceback in the log for debugging
        logger.exception("pipeline failed: %s", exc)
        return 1
    logger.info("Pipeline finished")
    return 0


if __name__ == "__main__":
    sys.exit(main())
