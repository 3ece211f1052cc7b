"""Entry point: `python -m src.main --config config.yaml` (called by run.sh).

Flow: load -> validate -> clean -> stratified train/test split -> (ablation) -> CV search per
model family -> pick best on CV PR-AUC -> threshold on out-of-fold validation predictions ->
evaluate once on the test split -> refit on all labelled rows -> predict holdout.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import joblib
from sklearn.base import clone
from sklearn.model_selection import train_test_split

from .cleaning import clean, ensure_not_all_missing, split_xy
from .config import ConfigError, load_config
from .data_loader import DataValidationError, read_table, validate_frame
from .evaluation import evaluate, log_report
from .inference import predict_holdout
from .modelling import choose_threshold, compare_models, feature_ablation, results_table

logger = logging.getLogger("bmarket")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Train and evaluate the term-deposit subscription model.")
    parser.add_argument("--config", default="config.yaml", help="Path to the YAML config (default: config.yaml)")
    return parser.parse_args(argv)


def setup_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )


def run(config: dict) -> None:
    """Run every stage in order; raises on unusable input."""
    data_cfg, out_cfg, seed = config["data"], config["output"], config["split"]["random_state"]
    out_dir = Path(out_cfg["dir"])
    out_dir.mkdir(parents=True, exist_ok=True)

    # 1. Ingest and validate
    raw = read_table(data_cfg["train_path"], data_cfg["table"])
    validate_frame(raw, data_cfg["id_column"], data_cfg["target_column"])

    # 2. Stateless cleaning (no statistics learnt, so safe before the split)
    cleaned = clean(raw, config["cleaning"], has_target=True)
    X, y = split_xy(cleaned)
    ensure_not_all_missing(X, ("age", "campaign_calls"))

    # 3. Stratified split: the 11% positive rate is kept in both parts; test is touched once, at step 7.
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=config["split"]["test_size"], stratify=y, random_state=seed
    )
    logger.info("Train %d rows (%.1f%% yes), test %d rows (%.1f%% yes)",
                len(X_train), 100 * y_train.mean(), len(X_test), 100 * y_test.mean())

    n_splits, scoring = config["cv"]["n_splits"], config["cv"]["scoring"]

    # 4. Does feature engineering help? (logistic regression, CV on train only)
    ablation = feature_ablation(X_train, y_train, n_splits, scoring, seed) if config.get("ablation", {}).get("enabled") else {}

    # 5. Tune each family with the same stratified folds; select on CV score
    results = compare_models(config["models"], X_train, y_train, n_splits, scoring, seed)
    table = results_table(results)
    table.to_csv(out_dir / out_cfg["cv_results_file"], index=False)
    logger.info("Model comparison (CV on training split):\n%s", table.to_string(index=False))
    best = results[0]
    logger.info("Selected %s", best.name)

    # 6. Threshold on validation (out-of-fold) predictions
    threshold_cfg = config["threshold"]
    threshold, validation_score = choose_threshold(
        best.pipeline, X_train, y_train, n_splits, threshold_cfg["objective"], threshold_cfg["beta"], seed
    )

    # 7. One evaluation on the untouched test split
    test_metrics = evaluate(y_test, best.pipeline.predict_proba(X_test)[:, 1], threshold)
    log_report(test_metrics, best.name)

    # 8. Refit the chosen configuration on all labelled rows for the holdout predictions
    final_pipeline = clone(best.pipeline).fit(X, y)
    joblib.dump({"pipeline": final_pipeline, "threshold": threshold}, out_dir / out_cfg["model_file"])

    report = {
        "selected_model": best.name,
        "selection_metric": scoring,
        "cv_results": table.to_dict(orient="records"),
        "feature_ablation": ablation,
        "validation_score_at_threshold": round(validation_score, 4),
        "test": test_metrics,
    }
    with (out_dir / out_cfg["metrics_file"]).open("w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=2, default=str)

    # 9. Inference on unseen clients
    predict_holdout(final_pipeline, threshold, config)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    setup_logging("INFO")
    try:
        config = load_config(args.config)
        setup_logging(config.get("logging", {}).get("level", "INFO"))
        run(config)
    except (ConfigError, DataValidationError, ValueError, KeyError) as exc:
        logger.error("Pipeline stopped: %s", exc)
        return 1
    except MemoryError:
        logger.error("Pipeline stopped: out of memory")
        return 1
    logger.info("Pipeline finished")
    return 0


if __name__ == "__main__":
    sys.exit(main())
