"""Orchestrates the late-delivery pipeline.

ingest -> clean -> features -> split -> tune (CV) -> select -> threshold (OOF)
-> test evaluation -> refit on all labelled data -> predict holdout
"""
import json
import logging
import sys
from pathlib import Path

import joblib
import pandas as pd
from sklearn.model_selection import train_test_split

from clean import clean, drop_duplicates
from evaluate import classification_report, oof_threshold
from features import add_features, feature_frame
from ingest import DataValidationError, TARGET, read_deliveries
from settings import Settings
from train import model_specs, tune_model

logger = logging.getLogger("late_pipeline")


def prepare(df: pd.DataFrame) -> pd.DataFrame:
    """Stateless cleaning and feature construction shared by training and inference."""
    return add_features(clean(df))


def run(cfg: Settings) -> None:
    out = Path(cfg.output_dir)
    out.mkdir(parents=True, exist_ok=True)

    data = prepare(drop_duplicates(read_deliveries(cfg.train_db)))
    X, y = feature_frame(data), data[TARGET].astype(int)

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=cfg.test_size, stratify=y, random_state=cfg.seed)
    logger.info("train %d rows / test %d rows, late rate %.3f", len(X_train), len(X_test), y.mean())

    specs = model_specs(cfg.seed)
    unknown = set(cfg.models) - set(specs)
    if unknown:
        raise ValueError(f"Unknown model(s) {sorted(unknown)}; choose from {sorted(specs)}")

    searches = {name: tune_model(name, specs[name], X_train, y_train, cfg.cv_folds, cfg.n_iter, cfg.seed)
                for name in cfg.models}
    cv_table = pd.DataFrame({
        name: {"cv_f1": s.best_score_,
               "cv_f1_std": s.cv_results_["std_test_score"][s.best_index_],
               "train_f1": s.cv_results_["mean_train_score"][s.best_index_]}
        for name, s in searches.items()}).T
    logger.info("cross-validation summary:\n%s", cv_table.round(3).to_string())

    best_name = cv_table["cv_f1"].idxmax()
    best = searches[best_name].best_estimator_
    threshold = oof_threshold(best, X_train, y_train, cfg.cv_folds, cfg.seed)
    logger.info("selected %s, out-of-fold threshold %.2f", best_name, threshold)

    report = classification_report(y_test, best.predict_proba(X_test)[:, 1], threshold)
    logger.info("test metrics (%s): %s", best_name, {k: round(v, 3) for k, v in report.items()})

    # final model: same pipeline and params refitted on all labelled rows
    best.fit(X, y)
    joblib.dump({"model": best, "threshold": threshold}, out / "model.joblib")
    (out / "metrics.json").write_text(json.dumps(
        {"selected": best_name, "cv": cv_table.to_dict(orient="index"), "test": report}, indent=2))

    holdout = prepare(read_deliveries(cfg.holdout_db, with_target=False))
    proba = best.predict_proba(feature_frame(holdout))[:, 1]
    pd.DataFrame({"delivery_id": holdout["delivery_id"].to_numpy(),
                  "late": (proba >= threshold).astype(int),
                  "late_proba": proba.round(4)}).to_csv(out / "predictions.csv", index=False)
    logger.info("wrote %d predictions to %s", len(proba), out / "predictions.csv")


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s | %(levelname)s | %(message)s")
    try:
        run(Settings())
    except (DataValidationError, ValueError) as err:
        logger.error("Pipeline failed: %s", err)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
