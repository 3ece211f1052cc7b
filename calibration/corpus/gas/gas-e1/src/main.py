"""Entry point: python -m src.main --config config.yaml

Flow: load + validate -> clean -> grouped split -> grouped-CV tuning of each model family ->
pick the best by CV macro F1 -> evaluate once on the held-back sessions -> refit on all sessions
-> predict data/holdout.db -> output/predictions.csv
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

from src.cleaning import prepare_training_frame
from src.config import ConfigError, load_config
from src.data import TARGET, DataValidationError, load_holdout, load_training_data
from src.evaluate import baselines, report_text, score
from src.predict import predict_holdout, write_predictions
from src.train import grouped_train_test_split, search_models

log = logging.getLogger("gas")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Train and apply the activity-level classifier.")
    parser.add_argument("--config", default="config.yaml", help="path to the YAML config")
    parser.add_argument("--models", nargs="+", help="only run these model families (overrides config)")
    parser.add_argument("--skip-holdout", action="store_true", help="do not predict data/holdout.db")
    return parser.parse_args(argv)


def run(cfg: dict, skip_holdout: bool = False) -> dict:
    """Run every stage and return the metrics dictionary that is also saved to disk."""
    data_cfg, out_cfg = cfg["data"], cfg["output"]
    raw = load_training_data(data_cfg["db_path"], data_cfg["table"])
    df = prepare_training_frame(raw, cfg)
    log.info("class shares after cleaning: %s", df[TARGET].value_counts(normalize=True).round(3).to_dict())

    train, test = grouped_train_test_split(df, cfg["split"]["test_size"], cfg["split"]["random_state"])
    table, searches = search_models(train, cfg)
    print("\nGrouped 5-fold CV on the training sessions (best setting per family):")
    print(table.drop(columns="best_params").to_string(index=False, float_format="%.3f"))

    best_name = table.loc[0, "model"]
    best_model = searches[best_name].best_estimator_
    y_pred = best_model.predict(test)
    test_metrics = score(test[TARGET], y_pred)
    print(f"\nSelected model: {best_name} {table.loc[0, 'best_params']}")
    print("Test split (sessions never seen in training):")
    print(report_text(test[TARGET], y_pred))
    print("metrics:", test_metrics)
    base = baselines(train[TARGET], test[TARGET])
    print("baselines:", {k: v["f1_macro"] for k, v in base.items()}, "(macro F1)")

    # Refit the chosen configuration on every labelled session before predicting new ones.
    final_model = clone(best_model).fit(df, df[TARGET])
    out_dir = Path(out_cfg["dir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    joblib.dump(final_model, out_dir / out_cfg["model_file"])

    metrics = {
        "selected_model": best_name,
        "cv_results": table.to_dict(orient="records"),
        "test": test_metrics,
        "baselines": base,
    }
    (out_dir / out_cfg["metrics_file"]).write_text(json.dumps(metrics, indent=2, default=str))

    if not skip_holdout:
        holdout_path = Path(data_cfg["holdout_path"])
        if holdout_path.is_file():
            holdout = load_holdout(holdout_path, data_cfg["table"])
            preds = predict_holdout(final_model, holdout, cfg)
            write_predictions(preds, out_dir, out_cfg["predictions_file"])
        else:
            log.warning("no holdout at %s; skipping predictions", holdout_path)
    return metrics


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = parse_args(argv)
    try:
        cfg = load_config(args.config)
        if args.models:
            for name in cfg["models"]:
                cfg["models"][name]["enabled"] = name in args.models
        run(cfg, skip_holdout=args.skip_holdout)
    except (ConfigError, DataValidationError, KeyError, ValueError) as exc:
        log.error("pipeline stopped: %s", exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
