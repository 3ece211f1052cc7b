"""Entry point: python -m src.main [options]. Runs the whole pipeline end to end."""
import argparse
import json
import logging
import sys
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from src.cleaning import clean_deliveries
from src.data_loader import load_deliveries
from src.features import Preprocessor, add_features
from src.modeling import best_threshold, candidate_models, evaluate, tune

log = logging.getLogger("pipeline")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Train and apply the late-delivery classifier.")
    parser.add_argument("--db", default="data/deliveries.db", help="training database")
    parser.add_argument("--holdout", default="data/holdout.db", help="database to predict")
    parser.add_argument("--output-dir", default="output")
    parser.add_argument("--test-size", type=float, default=0.2)
    parser.add_argument("--cv-folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--smoothing", type=float, default=20.0, help="target-encoding smoothing")
    parser.add_argument("--models", nargs="+", default=["logistic", "gboost"],
                        help="subset of models to compare")
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> None:
    out_dir = Path(args.output_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    # 1. ingest + clean
    raw = load_deliveries(args.db)
    data = add_features(clean_deliveries(raw))
    y = data["late"].astype(int)
    log.info("late rate after cleaning: %.3f (%d rows)", y.mean(), len(y))

    # 2. preprocessing (imputation, scaling, target encoding)
    prep = Preprocessor(smoothing=args.smoothing).fit(data, y)
    X = prep.transform(data)

    # 3. split
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=args.test_size, stratify=y, random_state=args.seed)

    # 4. tune and compare on CV
    models = {k: v for k, v in candidate_models(args.seed).items() if k in args.models}
    if not models:
        raise ValueError(f"no known model in {args.models}")
    searches = tune(models, X_train, y_train, args.cv_folds, args.seed)

    # 5. test-set evaluation with the F1-optimal threshold
    report = {}
    for name, search in searches.items():
        proba = search.predict_proba(X_test)[:, 1]
        thr = best_threshold(y_test, proba)
        report[name] = {"cv_ap": search.best_score_, "params": search.best_params_,
                        **evaluate(y_test, proba, thr)}
    table = pd.DataFrame(report).T
    log.info("test results:\n%s", table[["cv_ap", "threshold", "f1", "precision", "recall",
                                          "roc_auc", "pr_auc"]].to_string())
    best_name = max(report, key=lambda k: report[k]["f1"])
    log.info("selected model: %s", best_name)
    (out_dir / "metrics.json").write_text(json.dumps(report, indent=2, default=str))

    # 6. predict holdout
    holdout_path = Path(args.holdout)
    if not holdout_path.is_file():
        log.warning("no holdout database at %s, skipping predictions", holdout_path)
        return
    hold = add_features(clean_deliveries(load_deliveries(args.holdout, require_target=False)))
    proba = searches[best_name].predict_proba(prep.transform(hold))[:, 1]
    preds = pd.DataFrame({"delivery_id": hold["delivery_id"].values,
                          "late": (proba >= report[best_name]["threshold"]).astype(int),
                          "late_proba": proba.round(4)})
    preds.to_csv(out_dir / "predictions.csv", index=False)
    log.info("wrote %d predictions to %s", len(preds), out_dir / "predictions.csv")


def main(argv=None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = parse_args(argv)
    try:
        run(args)
    except (FileNotFoundError, ValueError) as exc:
        log.error("pipeline stopped: %s", exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
