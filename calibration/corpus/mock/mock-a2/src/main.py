import argparse
import os
import sys

import joblib
import pandas as pd
from sklearn.model_selection import train_test_split

from load_data import load_data
from preprocessing import clean_data, add_features, fill_missing, encode, NUM_COLS
from train import train_random_forest, train_xgboost, evaluate


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="data/deliveries.db")
    parser.add_argument("--holdout", default="data/holdout.db")
    parser.add_argument("--output", default="output")
    parser.add_argument("--test_size", type=float, default=0.2)
    parser.add_argument("--random_state", type=int, default=42)
    return parser.parse_args()


def main():
    args = parse_args()

    try:
        df = load_data(args.data)
    except Exception as e:
        print("Error loading data:", e)
        sys.exit(1)

    df = clean_data(df)
    df = add_features(df)

    medians = df[NUM_COLS].median()
    df = fill_missing(df, medians)

    X = encode(df)
    y = df["late"]
    print("Target distribution:")
    print(y.value_counts(normalize=True))

    # train 60 / validation 20 / test 20
    X_train, X_temp, y_train, y_temp = train_test_split(
        X, y, test_size=args.test_size * 2, stratify=y, random_state=args.random_state)
    X_val, X_test, y_val, y_test = train_test_split(
        X_temp, y_temp, test_size=0.5, stratify=y_temp, random_state=args.random_state)
    print(f"Train: {X_train.shape}, Val: {X_val.shape}, Test: {X_test.shape}")

    rf = train_random_forest(X_train, y_train, args.random_state)
    xgb = train_xgboost(X_train, y_train, args.random_state)

    # compare on validation set
    results = [evaluate(rf, X_val, y_val, "Random Forest"), evaluate(xgb, X_val, y_val, "XGBoost")]
    results = pd.DataFrame(results)
    print("\nValidation results:")
    print(results)

    best_name = results.sort_values("accuracy", ascending=False).iloc[0]["model"]
    best_model = rf if best_name == "Random Forest" else xgb
    print(f"\nBest model: {best_name}")

    # final check on test set
    test_result = evaluate(best_model, X_test, y_test, f"{best_name} (test set)")

    os.makedirs(args.output, exist_ok=True)
    joblib.dump(best_model, os.path.join(args.output, "model.pkl"))
    pd.DataFrame([test_result]).to_csv(os.path.join(args.output, "test_metrics.csv"), index=False)

    # predict holdout
    if os.path.exists(args.holdout):
        holdout = load_data(args.holdout)
        ids = holdout["delivery_id"]
        holdout = clean_data(holdout)
        holdout = add_features(holdout)
        holdout = fill_missing(holdout, medians)
        X_holdout = encode(holdout, columns=X.columns)
        preds = best_model.predict(X_holdout)
        proba = best_model.predict_proba(X_holdout)[:, 1]
        out = pd.DataFrame({"delivery_id": holdout["delivery_id"], "late": preds, "late_proba": proba})
        out.to_csv(os.path.join(args.output, "predictions.csv"), index=False)
        print(f"Saved {len(out)} predictions to {args.output}/predictions.csv")
    else:
        print("No holdout file found, skipping predictions")


if __name__ == "__main__":
    main()
