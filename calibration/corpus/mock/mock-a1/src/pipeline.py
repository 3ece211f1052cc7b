"""Orchestrator: python -m src.pipeline --config config.yaml

ingest -> clean -> stratified split -> CV model selection (features inside the
Pipeline) -> threshold on out-of-fold predictions -> test evaluation ->
refit -> holdout predictions.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

import joblib
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import train_test_split

from src.clean import clean
from src.config import load_config
from src.errors import PipelineError
from src.evaluate import evaluate_on_test
from src.ingest import TARGET, load_holdout_data, load_training_data
from src.predict import predict, warn_unseen_categories, write_predictions
from src.train import select_model

logger = logging.getLogger("pipeline")


def run(cfg: dict[str, Any]) -> None:
    """Execute every stage in order, saving the artefacts listed in config.output."""
    data_cfg, out_cfg, split_cfg = cfg["data"], cfg["output"], cfg["split"]
    Path(out_cfg["dir"]).mkdir(parents=True, exist_ok=True)

    # 1-2. ingest and clean
    raw = load_training_data(data_cfg["train_db"], data_cfg["table"])
    df = clean(raw, cfg, is_training=True)
    X, y = df.drop(columns=[TARGET]), df[TARGET]
    logger.info("late rate after cleaning: %.1f%%", 100 * y.mean())

    # 3. stratified split: 23% positives, keep the same rate in train and test
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=split_cfg["test_size"], stratify=y, random_state=split_cfg["random_state"])
    logger.info("train %d rows / test %d rows", len(X_train), len(X_test))

    # 4. model selection on the training split only
    selection = select_model(X_train, y_train, cfg)
    selection.cv_table.to_csv(out_cfg["cv_results"], index=False)

    # 5. test split used once, for the chosen model and threshold
    report = evaluate_on_test(selection.best_pipeline, selection.threshold, X_test, y_test)
    report.update({
        "selected_model": selection.best_name,
        "cv_results": selection.cv_table.assign(best_params=selection.cv_table["best_params"].astype(str))
                                         .to_dict(orient="records"),
        "feature_ablation_cv_f1": selection.ablation,
    })
    with open(out_cfg["metrics"], "w") as fh:
        json.dump(report, fh, indent=2, default=str)

    # 6. refit the chosen configuration on all labelled rows, then predict the holdout
    final_model = clone(selection.best_pipeline).fit(X, y)
    joblib.dump({"model": final_model, "threshold": selection.threshold}, out_cfg["model"])
    holdout_path = Path(data_cfg["holdout_db"])
    if not holdout_path.is_file():
        logger.warning("no holdout database at %s; skipping predictions", holdout_path)
        return
    holdout = clean(load_holdout_data(holdout_path, data_cfg["table"]), cfg, is_training=False)
    warn_unseen_categories(X, holdout)
    write_predictions(predict(final_model, selection.threshold, holdout, data_cfg["id_column"]),
                      out_cfg["predictions"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Late-delivery prediction pipeline")
    parser.add_argument("--config", default="config.yaml", help="path to the YAML config")
    args = parser.parse_args(argv)
    try:
        cfg = load_config(args.config)
        logging.basicConfig(level=cfg.get("logging", {}).get("level", "INFO"),
                            format="%(asctime)s %(levelname)-7s %(name)s: %(message)s", datefmt="%H:%M:%S")
        run(cfg)
    except PipelineError as exc:
        logging.basicConfig()
        logger.error("pipeline stopped: %s", exc)
        return 1
    logger.info("pipeline finished")
    return 0


if __name__ == "__main__":
    sys.exit(main())
