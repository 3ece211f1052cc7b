"""Entry point: load -> clean -> split -> train (CV) -> evaluate -> predict holdout."""
import os
import sys

import joblib
import pandas as pd
from sklearn.model_selection import train_test_split

from config import load_config
from data_prep import CATEGORICAL_COLS, FEATURE_NUMERIC, add_features, clean_data, drop_duplicates, load_data
from model import evaluate, train_models


def main():
    cfg = load_config()
    target = cfg["target"]

    df = load_data(cfg["db_path"], cfg["table"])
    if target not in df.columns:
        raise ValueError(f"Target column {target} not found")
    df = drop_duplicates(df, cfg["id_column"])
    df = df.dropna(subset=[target])
    df = add_features(clean_data(df))

    features = FEATURE_NUMERIC + CATEGORICAL_COLS
    X = df[features]
    y = df[target].astype(int)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=cfg["test_size"], stratify=y, random_state=cfg["random_state"]
    )
    print(f"Train: {len(X_train)} rows, test: {len(X_test)} rows")

    results = train_models(X_train, y_train, cfg)
    best_name = max(results, key=lambda n: results[n].best_score_)
    best_model = results[best_name].best_estimator_
    print(f"\nBest model on CV: {best_name}\n")
    evaluate(best_model, X_test, y_test)

    os.makedirs(cfg["output_dir"], exist_ok=True)
    joblib.dump(best_model, os.path.join(cfg["output_dir"], "model.joblib"))

    if os.path.exists(cfg["holdout_path"]):
        holdout = load_data(cfg["holdout_path"], cfg["table"])
        holdout = add_features(clean_data(holdout))
        preds = best_model.predict(holdout[features])
        out = pd.DataFrame({cfg["id_column"]: holdout[cfg["id_column"]], target: preds})
        out_path = os.path.join(cfg["output_dir"], "predictions.csv")
        out.to_csv(out_path, index=False)
        print(f"Wrote {len(out)} predictions to {out_path}")
    else:
        print("No holdout database found, skipping predictions")


if __name__ == "__main__":
    try:
        main()
    except (FileNotFoundError, ValueError) as err:
        print(f"ERROR: {err}", file=sys.stderr)
        sys.exit(1)
