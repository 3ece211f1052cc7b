"""Run the farm temperature regression: load, clean, split, compare models on validation, test, predict."""
import json
import os
import sys

import joblib
import pandas as pd
from sklearn.model_selection import train_test_split

from load_data import read_table
from preprocess import CATEGORICAL_FEATURES, NUMERIC_FEATURES, clean, drop_bad_rows
from train import build_model, regression_scores

FEATURES = NUMERIC_FEATURES + CATEGORICAL_FEATURES


def main(config_path):
    with open(config_path) as f:
        cfg = json.load(f)
    target, seed = cfg["target"], cfg["random_state"]

    df = read_table(cfg["db_path"], cfg["table"])
    df = clean(drop_bad_rows(df, target, cfg["id_column"]))
    X, y = df[FEATURES], df[target]

    # train / validation / test split; the test part is only used once at the end
    X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=cfg["test_size"], random_state=seed)
    val_share = cfg["val_size"] / (1 - cfg["test_size"])
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=val_share, random_state=seed)
    print(f"train {len(X_train)}, validation {len(X_val)}, test {len(X_test)}")

    results = {}
    for name, params in cfg["models"].items():
        model = build_model(name, params, seed)
        model.fit(X_train, y_train)
        scores = regression_scores(y_val, model.predict(X_val))
        results[name] = (model, scores)
        print(f"{name:25s} validation RMSE {scores['RMSE']:.3f}  MAE {scores['MAE']:.3f}  R2 {scores['R2']:.3f}")

    best_name = min(results, key=lambda n: results[n][1]["RMSE"])
    print(f"\nBest model on validation: {best_name}, refitting on train + validation")
    best = build_model(best_name, cfg["models"][best_name], seed)
    best.fit(X_rest, y_rest)

    test_scores = regression_scores(y_test, best.predict(X_test))
    print("Test set results:")
    for metric, value in test_scores.items():
        print(f"{metric}: {value:.3f}")

    os.makedirs(cfg["output_dir"], exist_ok=True)
    joblib.dump(best, os.path.join(cfg["output_dir"], "model.joblib"))

    if os.path.isfile(cfg["holdout_path"]):
        holdout = clean(read_table(cfg["holdout_path"], cfg["table"]))
        preds = pd.DataFrame({cfg["id_column"]: holdout[cfg["id_column"]], target: best.predict(holdout[FEATURES])})
        preds.to_csv(os.path.join(cfg["output_dir"], "predictions.csv"), index=False)
        print(f"Saved {len(preds)} holdout predictions to {cfg['output_dir']}/predictions.csv")


if __name__ == "__main__":
    try:
        main(os.environ.get("CONFIG", "config.json"))
    except (FileNotFoundError, ValueError, KeyError) as e:
        print(f"Pipeline failed: {e}")
        sys.exit(1)
