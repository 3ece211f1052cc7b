"""Entry point: python -m src.main --config config.yaml

Flow: load + validate -> clean -> features -> grouped train/test split -> grouped CV
comparison of three model families -> random search on the best family -> test-set
evaluation -> refit on all labelled rows -> predictions for data/holdout.db.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import joblib
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import GroupShuffleSplit

from .cleaning import clean
from .config import ConfigError, load_config
from .data import CATEGORICAL_COLUMNS, NUMERIC_COLUMNS, DataValidationError, read_table, validate
from .evaluate import evaluate
from .features import add_features, build_preprocessor, feature_columns
from .models import compare_models, fit_plain, make_candidates, majority_baseline_f1, tune
from .predict import predict_holdout, write_predictions

log = logging.getLogger("pipeline")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options; anything else is set in the YAML file."""
    parser = argparse.ArgumentParser(description="Train the activity-level classifier and predict the hold-out set.")
    parser.add_argument("--config", default="config.yaml", help="path to the YAML configuration")
    parser.add_argument("--no-tuning", action="store_true", help="skip the random search (quick run)")
    return parser.parse_args(argv)


def load_training_data(cfg: dict) -> pd.DataFrame:
    """Read, validate, clean and featurise the labelled data."""
    data_cfg = cfg["data"]
    raw = read_table(data_cfg["train_db"], data_cfg["table"])
    required = [data_cfg["target"], data_cfg["group_column"], data_cfg["id_column"]] + NUMERIC_COLUMNS + CATEGORICAL_COLUMNS
    frame = validate(raw, required, data_cfg["min_rows"], name="training data")
    frame = clean(frame, cfg["cleaning"], target=data_cfg["target"])
    if frame[data_cfg["target"]].nunique() < 2:
        raise DataValidationError("training data: fewer than two target classes after cleaning")
    return add_features(frame, cfg["features"]["add_sensor_aggregates"])


def run(cfg: dict, tuning: bool) -> None:
    """Execute every stage and write the artefacts listed under `output` in the config."""
    data_cfg, split_cfg = cfg["data"], cfg["split"]
    seed = split_cfg["random_state"]
    frame = load_training_data(cfg)
    numeric, nominal = feature_columns(cfg["features"]["add_sensor_aggregates"], cfg["features"]["drop_columns"])
    X, y, groups = frame[numeric + nominal], frame[data_cfg["target"]], frame[data_cfg["group_column"]]

    # hold back whole sessions: the hold-out file contains sessions absent from training
    splitter = GroupShuffleSplit(n_splits=1, test_size=split_cfg["test_size"], random_state=seed)
    train_idx, test_idx = next(splitter.split(X, y, groups))
    X_train, X_test, y_train, y_test = X.iloc[train_idx], X.iloc[test_idx], y.iloc[train_idx], y.iloc[test_idx]
    log.info("split: %d train rows (%d sessions), %d test rows (%d sessions)",
             len(train_idx), groups.iloc[train_idx].nunique(), len(test_idx), groups.iloc[test_idx].nunique())

    preprocessor = build_preprocessor(numeric, nominal)
    candidates = make_candidates(cfg["models"], seed)
    table = compare_models(candidates, preprocessor, X_train, y_train, groups.iloc[train_idx], split_cfg["cv_folds"])
    print("\n=== Grouped CV on training sessions ===")
    print(table.round(3).to_string(index=False))

    best_name = table.loc[0, "model"]
    if tuning and cfg["tuning"]["enabled"]:
        model, best_params, _ = tune(
            best_name, candidates[best_name], preprocessor, X_train, y_train, groups.iloc[train_idx],
            split_cfg["cv_folds"], cfg["tuning"]["n_iter"], cfg["tuning"]["scoring"], seed,
        )
    else:
        model, best_params = fit_plain(candidates[best_name], preprocessor, X_train, y_train), {}

    metrics = evaluate(model, X_test, y_test)
    metrics.update({
        "model": best_name,
        "params": best_params,
        "majority_baseline_f1_macro": majority_baseline_f1(y_train, y_test),
        "cv_table": table.round(4).to_dict(orient="records"),
    })
    print(f"macro F1 {metrics['test_f1_macro']:.3f} vs majority-class baseline {metrics['majority_baseline_f1_macro']:.3f}")

    # the test sessions were used once, for the estimate above; now learn from every session
    final = clone(model).fit(X, y)
    out = cfg["output"]
    Path(out["dir"]).mkdir(parents=True, exist_ok=True)
    joblib.dump(final, out["model"])
    with open(out["metrics"], "w", encoding="utf-8") as handle:
        json.dump(metrics, handle, indent=2, default=str)

    write_predictions(predict_holdout(final, cfg), out["predictions"])


def main(argv: list[str] | None = None) -> int:
    """Configure logging, run the pipeline and turn known failures into a one-line error."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s", datefmt="%H:%M:%S")
    args = parse_args(argv)
    try:
        cfg = load_config(args.config)
        run(cfg, tuning=not args.no_tuning)
    except (ConfigError, DataValidationError) as err:
        log.error("%s", err)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
