"""Command-line entry point: run the whole late-delivery pipeline end to end.

Flow::

    load config -> read deliveries.db -> drop duplicates -> clean -> features
    -> stratified train / validation / test split
    -> grid search (stratified 5-fold CV) for each model family
    -> pick the family with the best CV F1
    -> tune the decision threshold on the validation split
    -> score the untouched test split once
    -> refit on all labelled rows -> predict holdout.db -> output/

Usage::

    python -m src.main --config config.yaml [--seed 7] [--models random_forest ...]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import joblib
import pandas as pd
from sklearn.pipeline import Pipeline

from src.config import ConfigError, PipelineConfig, load_config
from src.data_loader import DataValidationError, load_holdout_data, load_training_data
from src.evaluate import classification_metrics, log_metrics, tune_threshold
from src.features import add_features
from src.models import build_candidates
from src.predict import predict_deliveries, write_predictions
from src.preprocessing import clean_deliveries, drop_exact_duplicates
from src.train import (
    DataSplits,
    TuningResult,
    positive_proba,
    refit_on_all_data,
    select_best,
    split_data,
    tune_candidate,
)

logger = logging.getLogger("src.main")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse command-line options; every option except --config overrides config.yaml."""
    parser = argparse.ArgumentParser(description="Train and apply the late-delivery classifier.")
    parser.add_argument("--config", default="config.yaml", help="path of the YAML configuration")
    parser.add_argument("--train-db", help="override data.train_db")
    parser.add_argument("--holdout-db", help="override data.holdout_db")
    parser.add_argument("--output-dir", help="override output.dir")
    parser.add_argument("--seed", type=int, help="override split.seed (also seeds the models)")
    parser.add_argument("--cv-folds", type=int, help="override split.cv_folds")
    parser.add_argument(
        "--models", nargs="+", help="only tune these model families (names from config.yaml)"
    )
    parser.add_argument(
        "--no-predict", action="store_true", help="train and evaluate only; skip holdout.db"
    )
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING"])
    return parser.parse_args(argv)


def apply_overrides(config: PipelineConfig, args: argparse.Namespace) -> PipelineConfig:
    """Return a copy of ``config`` with the command-line overrides applied."""
    data = config.data
    if args.train_db:
        data = dataclasses.replace(data, train_db=Path(args.train_db))
    if args.holdout_db:
        data = dataclasses.replace(data, holdout_db=Path(args.holdout_db))
    output = config.output
    if args.output_dir:
        output = dataclasses.replace(output, dir=Path(args.output_dir))
    split = config.split
    if args.seed is not None:
        split = dataclasses.replace(split, seed=args.seed)
    if args.cv_folds is not None:
        if args.cv_folds < 2:
            raise ConfigError("--cv-folds must be at least 2")
        split = dataclasses.replace(split, cv_folds=args.cv_folds)
    models = config.models
    if args.models:
        missing = [name for name in args.models if name not in models]
        if missing:
            raise ConfigError(f"--models names not in config.yaml: {', '.join(missing)}")
        models = {name: models[name] for name in args.models}
    return dataclasses.replace(config, data=data, output=output, split=split, models=models)


def check_inputs_exist(config: PipelineConfig, need_holdout: bool) -> None:
    """Fail fast, before any training, if an input database is missing."""
    paths = [config.data.train_db] + ([config.data.holdout_db] if need_holdout else [])
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(
                f"database not found: {path} "
                "(run from the submission folder with the file in data/)"
            )


def prepare_training_table(config: PipelineConfig) -> tuple[pd.DataFrame, pd.Series]:
    """Load, de-duplicate, clean and featurise the labelled data."""
    raw = load_training_data(config.data.train_db, config.data.table, config.data.target)
    raw = drop_exact_duplicates(raw)
    cleaned = clean_deliveries(raw, config.cleaning)
    return add_features(cleaned), cleaned[config.data.target]


def validate_and_pick_threshold(
    results: list[TuningResult], best: TuningResult, splits: DataSplits, config: PipelineConfig
) -> tuple[dict[str, Any], float, float]:
    """Score every tuned family on the validation split and tune the chosen one's threshold.

    Returns the per-family validation metrics at the default 0.5 cut-off, the
    tuned threshold and the validation F1 reached at that threshold.
    """
    report = {}
    for result in results:
        valid_proba = positive_proba(result.estimator, splits.x_valid)
        report[result.name] = classification_metrics(splits.y_valid, valid_proba, 0.5)
        log_metrics(f"validation {result.name} @0.50", report[result.name])

    best_valid_proba = positive_proba(best.estimator, splits.x_valid)
    threshold, valid_f1 = tune_threshold(
        splits.y_valid, best_valid_proba, config.tuning.threshold_grid
    )
    logger.info(
        "Decision threshold tuned on validation: %.2f (validation F1 %.3f)", threshold, valid_f1
    )
    return report, threshold, valid_f1


def evaluate_on_test(best: TuningResult, splits: DataSplits, threshold: float) -> dict[str, Any]:
    """Score the untouched test split once, at the tuned and at the default threshold."""
    test_proba = positive_proba(best.estimator, splits.x_test)
    tuned = classification_metrics(splits.y_test, test_proba, threshold)
    default = classification_metrics(splits.y_test, test_proba, 0.5)
    log_metrics(f"TEST {best.name} @tuned threshold", tuned)
    log_metrics(f"TEST {best.name} @0.50", default)

    # F1 of the trivial "everything is late" rule, to put the model's F1 in context.
    late_rate = float(splits.y_test.mean())
    baseline_f1 = 2 * late_rate / (1 + late_rate)
    logger.info("Baseline 'always late' F1 on test: %.3f", baseline_f1)
    return {
        "test": tuned,
        "test_at_0.5": default,
        "test_baseline_always_late_f1": round(baseline_f1, 4),
    }


def score_holdout(model: Pipeline, threshold: float, config: PipelineConfig) -> dict[str, Any]:
    """Predict every row of holdout.db, write predictions.csv and return a short summary."""
    holdout = load_holdout_data(config.data.holdout_db, config.data.table)
    predictions = predict_deliveries(
        model, holdout, threshold, config.cleaning, config.data.id_column
    )
    write_predictions(predictions, config.output.predictions_path)
    return {
        "holdout_rows_scored": len(predictions),
        "holdout_predicted_late_rate": round(float(predictions["late"].mean()), 4),
    }


def write_metrics(metrics: dict[str, Any], path: Path) -> None:
    """Save the metrics dictionary as indented JSON."""
    with path.open("w", encoding="utf-8") as handle:
        json.dump(metrics, handle, indent=2)
    logger.info("Wrote metrics to %s", path)


def run_pipeline(config: PipelineConfig, predict_holdout: bool = True) -> dict[str, Any]:
    """Execute every step of the pipeline and return the metrics that were written."""
    started = time.perf_counter()
    check_inputs_exist(config, need_holdout=predict_holdout)
    features, target = prepare_training_table(config)
    splits = split_data(features, target, config.split)

    # 1. Hyper-parameter search per model family, on the training split only.
    results = [
        tune_candidate(candidate, splits.x_train, splits.y_train, config.split, config.tuning)
        for candidate in build_candidates(config.models, config.split.seed)
    ]
    best = select_best(results)
    logger.info("Selected model: %s (CV F1 %.3f)", best.name, best.cv_f1_mean)

    # 2. Validation split: compare the families, tune the decision threshold.
    validation_report, threshold, valid_f1 = validate_and_pick_threshold(
        results, best, splits, config
    )

    # 3. Test split: scored exactly once, with the threshold fixed beforehand.
    metrics: dict[str, Any] = {
        "split_sizes": splits.sizes(),
        "cv_results": {result.name: result.summary() for result in results},
        "validation_at_0.5": validation_report,
        "selected_model": best.name,
        "threshold": threshold,
        "validation_f1_at_threshold": round(valid_f1, 4),
        **evaluate_on_test(best, splits, threshold),
    }

    # 4. Final model on all labelled rows, then the predictions contract.
    output = config.output
    output.dir.mkdir(parents=True, exist_ok=True)
    final_model = refit_on_all_data(best, features, target)
    joblib.dump({"model": final_model, "threshold": threshold}, output.model_path)
    logger.info("Saved final model and threshold to %s", output.model_path)

    if predict_holdout:
        metrics.update(score_holdout(final_model, threshold, config))

    metrics["runtime_seconds"] = round(time.perf_counter() - started, 1)
    write_metrics(metrics, output.metrics_path)
    logger.info("Pipeline finished in %.1fs", metrics["runtime_seconds"])
    return metrics


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the pipeline and turn expected failures into exit code 1."""
    args = parse_args(argv)
    logging.basicConfig(
        level=args.log_level,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
        stream=sys.stdout,
    )
    try:
        config = apply_overrides(load_config(args.config), args)
        run_pipeline(config, predict_holdout=not args.no_predict)
    except (FileNotFoundError, ConfigError, DataValidationError) as exc:
        logger.error("%s", exc)
        return 1
    except sqlite3.DatabaseError as exc:
        logger.error("could not read the database: %s", exc)
        return 1
    except (ValueError, OSError) as exc:
        # e.g. an invalid hyper-parameter in config.yaml or an unwritable output folder
        logger.error("pipeline failed: %s: %s", type(exc).__name__, exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
