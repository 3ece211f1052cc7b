"""
main.py
Runs the whole pipeline: load -> clean -> split -> train -> evaluate -> predict holdout.

Usage:
    python src/main.py --data data/gas_monitoring.db --test-size 0.2
"""
import argparse
import os
import sys

import pandas as pd
from sklearn.model_selection import train_test_split

from data_loader import load_table
from preprocessing import ID_COL, TARGET, clean_data, encode_features, prepare_training_data
from train import evaluate, train_models


def parse_args():
    parser = argparse.ArgumentParser(description="Activity level classification pipeline")
    parser.add_argument("--data", default="data/gas_monitoring.db", help="training database")
    parser.add_argument("--holdout", default="data/holdout.db", help="database to predict")
    parser.add_argument("--output", default="output", help="folder for predictions")
    parser.add_argument("--test-size", type=float, default=0.2, help="fraction of rows for the test set")
    parser.add_argument("--cv-folds", type=int, default=3, help="folds for GridSearchCV")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--models", nargs="+", default=["random_forest", "lightgbm"],
                        choices=["random_forest", "lightgbm"], help="models to train")
    return parser.parse_args()


def predict_holdout(model, holdout_path, output_dir):
    """Clean the holdout the same way as the training data and write predictions.csv."""
    holdout = load_table(holdout_path)
    X_hold = encode_features(clean_data(holdout))
    preds = model.predict(X_hold)

    os.makedirs(output_dir, exist_ok=True)
    out = pd.DataFrame({ID_COL: holdout[ID_COL], TARGET: preds})
    out_path = os.path.join(output_dir, "predictions.csv")
    out.to_csv(out_path, index=False)
    print(f"\nSaved {len(out)} predictions to {out_path}")


def main():
    args = parse_args()

    try:
        raw = load_table(args.data)
    except (FileNotFoundError, ValueError) as e:
        print(f"ERROR: {e}")
        sys.exit(1)

    X, y = prepare_training_data(raw)
    print("Class distribution:")
    print(y.value_counts(normalize=True).round(3))

    # stratified split so the small High Activity class is in both sets
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=args.test_size, stratify=y, random_state=args.seed)
    print(f"Train: {len(X_train)} rows, Test: {len(X_test)} rows")

    searches = train_models(X_train, y_train, args.models, args.cv_folds, args.seed)

    # choose the final model by cross-validation score (not on the test set)
    best_name = max(searches, key=lambda n: searches[n].best_score_)
    print(f"\nBest model by CV: {best_name}")

    for name, search in searches.items():
        evaluate(search.best_estimator_, X_test, y_test, name)

    if os.path.exists(args.holdout):
        predict_holdout(searches[best_name].best_estimator_, args.holdout, args.output)
    else:
        print(f"No holdout file at {args.holdout}, skipping predictions")


if __name__ == "__main__":
    main()
