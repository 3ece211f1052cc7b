"""Orchestrator: load -> validate -> clean -> split -> tune/compare -> threshold -> test -> predict.

Usage (from the submission root):  python -m src.main --config config.yaml [--models lightgbm ...]
"""
from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

import joblib
import pandas as pd
from sklearn.model_selection import train_test_split

from .cleaning import clean, encode_target
from .config import load_config
from .data import load_table, validate
from .evaluate import baselines, classification_metrics, log_report
from .predict import predict_holdout
from .train import choose_threshold, select_best, tune_family

logger = logging.getLogger("bmarket")


def parse_args() -> argparse.Namespace:
    """Command-line options; anything not given here comes from the YAML file."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", default="config.yaml", help="path to the YAML config")
    p.add_argument("--models", nargs="+", help="override the list of model families to compare")
    p.add_argument("--n-iter", type=int, help="override search.n_iter")
    return p.parse_args()


def run(cfg: dict) -> None:
    """Run the full training + inference pipeline described by ``cfg``."""
    dcfg, ccfg, scfg = cfg["data"], cfg["cleaning"], cfg["split"]

    raw = load_table(dcfg["db_path"], dcfg["table"])
    validate(raw, dcfg["id_column"], dcfg["target_column"])
    y = encode_target(raw[dcfg["target_column"]], dcfg["positive_label"])
    X = clean(raw, ccfg["age_sentinel"], ccfg["pdays_never_contacted"])
    logger.info("positive rate %.2f%% (%d of %d)", 100 * y.mean(), y.sum(), len(y))

    # Stratified hold-out test split; it is touched exactly once, after the model and threshold
    # are fixed on the training part.
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=scfg["test_size"], stratify=y, random_state=scfg["random_state"]
    )
    logger.info("train %d rows / test %d rows", len(X_train), len(X_test))

    results = [tune_family(name, X_train, y_train, cfg) for name in cfg["models"]]
    comparison = pd.DataFrame(
        [{"model": r.name, "cv_mean": r.cv_mean, "cv_std": r.cv_std, "train_mean": r.train_mean,
          "gap": r.train_mean - r.cv_mean} for r in results]
    ).sort_values("cv_mean", ascending=False)
    logger.info("model comparison (%s, %d-fold CV on train):\n%s",
                cfg["search"]["scoring"], scfg["cv_folds"], comparison.to_string(index=False, float_format="%.4f"))

    best = select_best(results)
    logger.info("selected %s with params %s", best.name, best.params)
    threshold, oof_f1 = choose_threshold(best.pipeline, X_train, y_train, cfg)

    proba_test = best.pipeline.predict_proba(X_test)[:, 1]
    metrics = classification_metrics(y_test, proba_test, threshold)
    base = baselines(y_test)
    log_report(best.name, metrics, base)

    out_dir = Path(cfg["output"]["dir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    joblib.dump({"model": best.pipeline, "threshold": threshold}, out_dir / cfg["output"]["model_file"])
    report = {
        "selected_model": best.name,
        "params": {k: (v.item() if hasattr(v, "item") else v) for k, v in best.params.items()},
        "threshold": threshold,
        "oof_f1_train": oof_f1,
        "cv_comparison": comparison.to_dict(orient="records"),
        "test_metrics": metrics,
        "baselines": base,
    }
    (out_dir / cfg["output"]["report_file"]).write_text(json.dumps(report, indent=2, default=float))

    predict_holdout(best.pipeline, threshold, cfg)


def main() -> None:
    """Entry point: configure logging, merge CLI overrides into the config and run."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
                        datefmt="%H:%M:%S")
    args = parse_args()
    cfg = load_config(args.config)
    if args.models:
        cfg["models"] = args.models
    if args.n_iter:
        cfg["search"]["n_iter"] = args.n_iter
    run(cfg)


if __name__ == "__main__":
    main()
