"""Entry point: ``python -m pipeline.run`` (from the repository root).

load -> deduplicate -> clean/build features -> stratified split -> grid search per model (CV on
train) -> pick by CV F1 -> score once on test -> refit on all rows -> predict holdout.
"""
from __future__ import annotations

import json
import logging
import time

import joblib
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import train_test_split

from pipeline.cleaning import build_features
from pipeline.config import Settings, load_settings
from pipeline.ingest import drop_exact_duplicates, load_table
from pipeline.modelling import (SearchResult, always_late_baseline, candidate_models, evaluate,
                                tune)

log = logging.getLogger("pipeline")


def train_and_select(features: pd.DataFrame, settings: Settings) -> tuple[SearchResult, dict]:
    """Tune every candidate on the training split and report all of them on the test split."""
    X = features.drop(columns=[settings.id_column, settings.target])
    y = features[settings.target].astype(int)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=settings.test_size, stratify=y, random_state=settings.random_state)
    log.info("split: %d train / %d test rows (late rate %.3f / %.3f)",
             len(X_train), len(X_test), y_train.mean(), y_test.mean())

    report: dict[str, dict] = {"always_late_baseline": always_late_baseline(y_test)}
    results: list[SearchResult] = []
    for name, model in candidate_models(settings.random_state).items():
        result = tune(name, model, settings.model_grids[name], X_train, y_train,
                      settings.cv_folds, settings.random_state)
        test_scores = evaluate(result.estimator, X_test, y_test)
        report[name] = {"cv_f1": result.cv_f1, "train_f1": result.train_f1,
                        "best_params": result.best_params, "test": test_scores}
        log.info("%s on test: F1 %.3f, precision %.3f, recall %.3f, ROC AUC %.3f",
                 name, test_scores["f1"], test_scores["precision"], test_scores["recall"],
                 test_scores["roc_auc"])
        results.append(result)

    # choose on cross-validated F1 so the test split stays an unbiased estimate
    best = max(results, key=lambda r: r.cv_f1)
    report["selected"] = best.name
    log.info("selected %s (CV F1 %.3f)", best.name, best.cv_f1)
    return best, report


def predict_holdout(model, settings: Settings) -> pd.DataFrame:
    """Score every row of the holdout table with the final model."""
    holdout = build_features(load_table(settings.holdout_db, settings.table), settings)
    X_new = holdout.drop(columns=[settings.id_column])
    return pd.DataFrame({
        settings.id_column: holdout[settings.id_column],
        settings.target: model.predict(X_new).astype(int),
        "late_proba": model.predict_proba(X_new)[:, 1].round(4),
    })


def main() -> None:
    """Run the whole pipeline and write output/predictions.csv."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    started = time.perf_counter()
    settings = load_settings()

    raw = drop_exact_duplicates(load_table(settings.train_db, settings.table))
    features = build_features(raw, settings)
    best, report = train_and_select(features, settings)

    # final model: same pipeline and parameters, refitted on every labelled row
    final_model = clone(best.estimator)
    final_model.fit(features.drop(columns=[settings.id_column, settings.target]),
                    features[settings.target].astype(int))

    predictions = predict_holdout(final_model, settings)
    settings.output_dir.mkdir(parents=True, exist_ok=True)
    predictions.to_csv(settings.output_dir / "predictions.csv", index=False)
    joblib.dump(final_model, settings.output_dir / "model.joblib")
    with open(settings.output_dir / "metrics.json", "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=2, default=str)

    log.info("wrote %d predictions (%.1f%% late) to %s in %.1f s", len(predictions),
             100 * predictions[settings.target].mean(), settings.output_dir / "predictions.csv",
             time.perf_counter() - started)


if __name__ == "__main__":
    main()
