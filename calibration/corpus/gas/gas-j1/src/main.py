"""Pipeline orchestrator: validate -> clean -> features -> tune -> evaluate -> refit -> predict.

Run from the submission root:  python -m src.main --config config.yaml
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import joblib
import pandas as pd

from .cleaning import clean_frame, drop_duplicate_readings
from .config import ConfigError, load_config
from .data_loader import DataValidationError, load_holdout_data, load_training_data
from .evaluate import evaluate
from .features import add_engineered_features
from .modelling import group_train_test_split, search_models
from .predict import write_predictions

logger = logging.getLogger("gas_pipeline")


def prepare(frame: pd.DataFrame, config: dict, labelled: bool) -> pd.DataFrame:
    """Shared cleaning + feature step used for training and holdout rows alike."""
    target = config["data"]["target"] if labelled else None
    frame = clean_frame(frame, config["cleaning"], target=target)
    if labelled and config["cleaning"].get("drop_duplicates", True):
        frame = drop_duplicate_readings(frame, config["data"]["id_column"])
    if config["features"].get("add_engineered", False):
        frame = add_engineered_features(frame)
    return frame


def run(config: dict) -> None:
    """Execute every stage of the pipeline with the given configuration."""
    data_cfg, out_cfg = config["data"], config["output"]
    target, group_col = data_cfg["target"], data_cfg["group_column"]
    out_dir = Path(out_cfg["dir"])
    out_dir.mkdir(parents=True, exist_ok=True)

    # 1. ingest + validate (the holdout is checked up front so a bad file fails before training)
    labelled = prepare(load_training_data(config), config, labelled=True)
    holdout_raw = load_holdout_data(config)

    # 2. grouped split: whole sessions go to the test set
    train, test = group_train_test_split(labelled, group_col, config["split"]["test_size"],
                                         config["split"]["random_state"])
    drop = [target, data_cfg["id_column"], group_col]
    X_train, y_train = train.drop(columns=drop), train[target]
    X_test, y_test = test.drop(columns=drop), test[target]

    # 3. grouped CV search per model family on the training sessions only
    best_model, best_name, cv_table = search_models(X_train, y_train, train[group_col], config)
    cv_table.to_csv(out_dir / out_cfg["cv_results_file"], index=False)
    print("\n=== Cross-validated comparison (GroupKFold by session) ===")
    print(cv_table.drop(columns="best_params").round(3).to_string(index=False))

    # 4. one-off evaluation on the test sessions
    metrics = evaluate(best_model, X_train, y_train, X_test, y_test)
    metrics["model"] = best_name
    (out_dir / out_cfg["metrics_file"]).write_text(json.dumps(metrics, indent=2, default=float))

    # 5. refit the chosen configuration on all labelled sessions, then score the holdout
    final_model = best_model.fit(labelled.drop(columns=drop), labelled[target])
    joblib.dump(final_model, out_dir / out_cfg["model_file"])
    holdout = prepare(holdout_raw, config, labelled=False)
    write_predictions(final_model, holdout.drop(columns=[data_cfg["id_column"], group_col]),
                      holdout[data_cfg["id_column"]], target, data_cfg["id_column"],
                      out_dir / out_cfg["predictions_file"])


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; returns a non-zero exit code with a one-line message on known failures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", default="config.yaml", help="path to the YAML configuration")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING"])
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
                        datefmt="%H:%M:%S")
    try:
        run(load_config(args.config))
    except (ConfigError, DataValidationError) as exc:
        logger.error("%s", exc)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
