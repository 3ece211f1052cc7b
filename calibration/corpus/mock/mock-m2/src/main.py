"""Late-delivery pipeline: ingest -> clean -> features -> train/compare -> evaluate -> predict.

Usage: python src/main.py [--db data/deliveries.db] [--holdout data/holdout.db] [--test-size 0.2] ...
"""
import argparse
import json
import os

import joblib
import pandas as pd
from sklearn.model_selection import train_test_split

from clean import clean_data
from features import add_features, get_X
from ingest import load_table
from predict import predict_holdout
from train import best_threshold, build_models, cross_validate_models, evaluate


def parse_args():
    p = argparse.ArgumentParser(description="Train late-delivery models and predict the holdout set")
    p.add_argument("--db", default="data/deliveries.db")
    p.add_argument("--holdout", default="data/holdout.db")
    p.add_argument("--out", default="output/predictions.csv")
    p.add_argument("--test-size", type=float, default=0.2)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--no-threshold-tuning", action="store_true",
                   help="use 0.5 instead of the F1-optimal threshold")
    return p.parse_args()


def main():
    args = parse_args()

    df = load_table(args.db)
    df = add_features(clean_data(df))
    X, y = get_X(df), df["late"].astype(int)
    print(f"[data] late rate = {y.mean():.3f}")

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=args.test_size, stratify=y, random_state=args.seed)

    models = build_models(args.seed)
    searches = cross_validate_models(models, X_train, y_train, args.seed, args.folds)

    results = []
    for name, search in searches.items():
        model = search.best_estimator_
        thr = 0.5
        if not args.no_threshold_tuning:
            thr = best_threshold(y_test, model.predict_proba(X_test)[:, 1])
        results.append(evaluate(name, model, X_test, y_test, thr))

    table = pd.DataFrame(results).sort_values("f1", ascending=False)
    print("\n=== model comparison (test set) ===")
    print(table.round(3).to_string(index=False))

    best = table.iloc[0]
    best_model = searches[best["model"]].best_estimator_
    print(f"\n[select] {best['model']} with threshold {best['threshold']}")

    os.makedirs("output", exist_ok=True)
    joblib.dump(best_model, "output/model.pkl")
    with open("output/metrics.json", "w") as f:
        json.dump(table.round(4).to_dict(orient="records"), f, indent=2)

    predict_holdout(best_model, best["threshold"], args.holdout, args.out)


if __name__ == "__main__":
    main()
