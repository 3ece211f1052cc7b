"""Orchestrator: ingest -> validate -> clean/features -> split -> tune -> select -> test -> predict.

Run from the repository root: python -m src.pipeline [--config path]
"""
import argparse
import json
import sys
from pathlib import Path

import joblib

from .evaluate import compute_metrics, find_threshold, log_confusion, log_metrics
from .ingest import read_sqlite_table
from .predict import predict_file, write_predictions
from .train import split_data, tune_models
from .transform import prepare
from .utils import load_config, setup_logging
from .validate import DataValidationError, validate_frame


def run(cfg: dict) -> None:
    paths, cols = cfg["paths"], cfg["columns"]
    logger = setup_logging(paths["log_file"])
    logger.info("Pipeline started")

    # 1. ingest + validate
    raw = read_sqlite_table(paths["database"], paths["table"])
    df = validate_frame(raw, cfg, require_target=True)

    # 2. clean + features (row-level only, nothing fitted yet)
    df = prepare(df, cfg)
    y = (df[cols["target"]].str.strip().str.lower() == cols["positive_label"]).astype(int)
    X = df.drop(columns=[cols["target"]])
    logger.info("Positive rate: %.3f", y.mean())

    # 3. split
    X_train, X_val, X_test, y_train, y_val, y_test = split_data(X, y, cfg)

    # 4. tune on train (CV), compare on validation
    searches = tune_models(X_train, y_train, cfg)
    summary, best_name, best_f1 = {}, None, -1.0
    for name, search in searches.items():
        proba_val = search.predict_proba(X_val)[:, 1]
        thr = find_threshold(y_val, proba_val) if cfg["threshold"]["tune_on_validation"] \
            else cfg["threshold"]["default"]
        m = compute_metrics(y_val, proba_val, thr)
        m["threshold"] = thr
        log_metrics(f"Validation {name}", m)
        summary[name] = m
        if m["f1"] > best_f1:
            best_name, best_f1 = name, m["f1"]
    logger.info("Selected model: %s", best_name)

    # 5. final test evaluation (test set used once)
    model = searches[best_name].best_estimator_
    threshold = summary[best_name]["threshold"]
    proba_test = model.predict_proba(X_test)[:, 1]
    test_metrics = compute_metrics(y_test, proba_test, threshold)
    log_metrics(f"TEST {best_name} (threshold={threshold:.2f})", test_metrics)
    log_confusion(y_test, proba_test, threshold)

    out = Path(paths["output_dir"])
    out.mkdir(parents=True, exist_ok=True)
    joblib.dump({"model": model, "threshold": threshold}, out / "model.joblib")
    with open(out / "metrics.json", "w") as fh:
        json.dump({"validation": summary, "selected": best_name, "test": test_metrics}, fh, indent=2)

    # 6. predict holdout
    holdout_path = Path(paths["holdout"])
    if holdout_path.is_file():
        holdout_raw = read_sqlite_table(str(holdout_path), paths["table"])
        preds = predict_file(model, threshold, holdout_raw, cfg)
        write_predictions(preds, paths["output_dir"])
    else:
        logger.warning("Holdout database %s not found, skipping predictions", holdout_path)
    logger.info("Pipeline finished")


def main() -> int:
    parser = argparse.ArgumentParser(description="Bank marketing subscription pipeline")
    parser.add_argument("--config", default=None, help="YAML config (default: $PIPELINE_CONFIG or config/pipeline.yaml)")
    args = parser.parse_args()
    try:
        cfg = load_config(args.config)
        run(cfg)
    except (FileNotFoundError, DataValidationError, ValueError, KeyError) as exc:
        print(f"[pipeline] ERROR: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
