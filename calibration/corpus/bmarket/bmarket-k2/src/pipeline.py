"""Main entry point: trains the models, evaluates them and writes holdout predictions.

Run from the project root:  python src/pipeline.py [--test-size 0.2] [--seed 42] ...
"""
import argparse
import os

import joblib
import pandas as pd
from sklearn.model_selection import train_test_split

from load_data import load_table
from model import evaluate, get_models, print_report, train_model
from preprocess import ID_COL, TARGET, add_features, clean_data, encode


def parse_args():
    parser = argparse.ArgumentParser(description="Bank term deposit subscription pipeline")
    parser.add_argument("--data", default="data/bmarket.db")
    parser.add_argument("--holdout", default="data/holdout.db")
    parser.add_argument("--output-dir", default="output")
    parser.add_argument("--test-size", type=float, default=0.2)
    parser.add_argument("--val-size", type=float, default=0.2)
    parser.add_argument("--cv-folds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    return parser.parse_args()


def main():
    args = parse_args()
    os.makedirs(args.output_dir, exist_ok=True)

    # 1. load + clean
    df = load_table(args.data)
    df = add_features(clean_data(df))
    X = encode(df)
    y = df[TARGET]
    print(f"Positive rate: {y.mean():.3f}")

    # 2. split: train / validation / test (stratified because of the imbalance)
    X_temp, X_test, y_temp, y_test = train_test_split(
        X, y, test_size=args.test_size, stratify=y, random_state=args.seed)
    X_train, X_val, y_train, y_val = train_test_split(
        X_temp, y_temp, test_size=args.val_size, stratify=y_temp, random_state=args.seed)
    print(f"train={len(X_train)} val={len(X_val)} test={len(X_test)}")

    # 3. train each model and compare on the validation set
    results = {}
    fitted = {}
    for name, model in get_models(args.seed).items():
        print(f"Training {name} ...")
        fitted[name] = train_model(name, model, X_train, y_train, args.cv_folds)
        results[name] = evaluate(fitted[name], X_val, y_val, label=f"{name} / validation")

    best_name = max(results, key=lambda n: results[n]["f1"])
    best_model = fitted[best_name]
    print(f"\nBest model on validation F1: {best_name}")

    # 4. final check on the untouched test set
    print("\n=== Test set evaluation ===")
    test_scores = evaluate(best_model, X_test, y_test, label=f"{best_name} / test")
    print_report(best_model, X_test, y_test)
    pd.DataFrame(results).T.to_csv(os.path.join(args.output_dir, "validation_scores.csv"))
    pd.Series(test_scores).to_csv(os.path.join(args.output_dir, "test_scores.csv"))
    joblib.dump(best_model, os.path.join(args.output_dir, "model.pkl"))

    # 5. predict on holdout
    if os.path.exists(args.holdout):
        holdout = load_table(args.holdout)
        H = encode(add_features(clean_data(holdout)), columns=X.columns)
        proba = best_model.predict_proba(H)[:, 1]
        pred = best_model.predict(H)
        out = pd.DataFrame({
            ID_COL: holdout[ID_COL],
            TARGET: ["yes" if p == 1 else "no" for p in pred],
            f"{TARGET}_proba": proba,
        })
        out.to_csv(os.path.join(args.output_dir, "predictions.csv"), index=False)
        print(f"Saved {len(out)} predictions to {args.output_dir}/predictions.csv")
    else:
        print("No holdout.db found, skipping predictions")


if __name__ == "__main__":
    main()
