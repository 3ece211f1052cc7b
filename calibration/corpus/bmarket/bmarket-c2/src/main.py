"""Entry point for the bank marketing pipeline."""
import argparse
import json
import logging
import os

import joblib
from sklearn.model_selection import train_test_split

from data_loader import load_data
from evaluate import evaluate_model, print_report
from predict import predict_holdout
from preprocess import clean_data, get_features, get_target
from train import get_models, train_model


def parse_args():
    parser = argparse.ArgumentParser(description="Bank marketing subscription pipeline")
    parser.add_argument("--data", default="data/bmarket.db")
    parser.add_argument("--holdout", default="data/holdout.db")
    parser.add_argument("--output-dir", default="output")
    parser.add_argument("--test-size", type=float, default=0.2)
    parser.add_argument("--cv-folds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--models",
        nargs="+",
        default=["logistic_regression", "random_forest"],
        help="which models to train",
    )
    return parser.parse_args()


def main():
    args = parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s [%(levelname)s] %(message)s")
    log = logging.getLogger("main")

    log.info("Loading data from %s", args.data)
    df = clean_data(load_data(args.data))
    X = get_features(df)
    y = get_target(df)
    log.info("Data shape: %s, positive rate: %.3f", X.shape, y.mean())

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=args.test_size, stratify=y, random_state=args.seed
    )

    all_models = get_models(args.seed)
    results = {}
    fitted = {}
    for name in args.models:
        if name not in all_models:
            log.warning("Unknown model %s, skipping", name)
            continue
        estimator, grid = all_models[name]
        log.info("Training %s", name)
        model, cv_f1 = train_model(name, estimator, grid, X_train, y_train, args.cv_folds, args.seed)
        fitted[name] = model
        results[name] = {"cv_f1": cv_f1}

    if not fitted:
        raise SystemExit("No models trained")

    best_name = max(results, key=lambda n: results[n]["cv_f1"])
    log.info("Best model by CV F1: %s", best_name)

    for name, model in fitted.items():
        results[name]["test"] = evaluate_model(model, X_test, y_test)
        print_report(name, model, X_test, y_test)

    os.makedirs(args.output_dir, exist_ok=True)
    with open(os.path.join(args.output_dir, "metrics.json"), "w") as f:
        json.dump(results, f, indent=2)
    joblib.dump(fitted[best_name], os.path.join(args.output_dir, "model.joblib"))

    best_test = results[best_name]["test"]
    print(f"\nFinal model: {best_name}")
    print(f"Test F1 (yes): {best_test['f1']:.4f}  precision: {best_test['precision']:.4f}  "
          f"recall: {best_test['recall']:.4f}  ROC AUC: {best_test['roc_auc']:.4f}")

    if os.path.exists(args.holdout):
        preds = predict_holdout(
            fitted[best_name], args.holdout, os.path.join(args.output_dir, "predictions.csv")
        )
        log.info("Saved %d holdout predictions", len(preds))
    else:
        log.warning("No holdout file at %s", args.holdout)


if __name__ == "__main__":
    main()
