"""Entry point for the late-delivery pipeline.

    python -m src.run_pipeline --config config.json
"""
import argparse
import json
import os
import sys

import joblib
from sklearn.model_selection import train_test_split

from src.ingest import read_table
from src.predict import write_predictions
from src.preprocess import DeliveryCleaner, FeatureBuilder
from src.train import evaluate, search_model


def load_config(path: str) -> dict:
    with open(path) as f:
        return json.load(f)


def main(config_path: str) -> int:
    cfg = load_config(config_path)
    paths = cfg["paths"]

    df = read_table(paths["train_db"], paths["table"])
    before = len(df)
    df = df.drop_duplicates(subset="delivery_id", keep="first").reset_index(drop=True)
    print(f"[clean] removed {before - len(df)} duplicated delivery_id rows")

    cleaner = DeliveryCleaner(**cfg["cleaning"])
    clean_df = cleaner.fit_transform(df)
    features = FeatureBuilder()
    X = features.fit_transform(clean_df)
    y = clean_df["late"].astype(int)
    print(f"[features] {X.shape[1]} features, late rate {y.mean():.3f}")

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=cfg["split"]["test_size"], stratify=y, random_state=cfg["split"]["random_state"])

    results = {}
    for name, settings in cfg["models"].items():
        if not settings.get("enabled", True):
            continue
        model, cv_score, cv_std = search_model(name, settings, X_train, y_train, cfg)
        results[name] = (model, cv_score, cv_std)
    if not results:
        print("No models enabled in config, nothing to do.")
        return 1

    best_name = max(results, key=lambda n: results[n][1])
    best_model = results[best_name][0]
    print(f"[select] best model on CV: {best_name}")

    metrics = evaluate(best_model, X_test, y_test, cfg["threshold"])
    print(f"[test] {best_name}: " + ", ".join(f"{k}={v:.4f}" for k, v in metrics.items() if k != "confusion_matrix"))
    print(f"[test] confusion matrix [[TN, FP], [FN, TP]]: {metrics['confusion_matrix']}")

    os.makedirs(paths["output_dir"], exist_ok=True)
    joblib.dump({"model": best_model, "cleaner": cleaner, "features": features},
                os.path.join(paths["output_dir"], "model.joblib"))
    with open(os.path.join(paths["output_dir"], "test_metrics.json"), "w") as f:
        json.dump({"model": best_name, **metrics}, f, indent=2)

    holdout = read_table(paths["holdout_db"], paths["table"], need_target=False)
    write_predictions(best_model, cleaner, features, holdout, paths["output_dir"], cfg["threshold"])
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Train and score the late-delivery model")
    parser.add_argument("--config", default="config.json")
    args = parser.parse_args()
    try:
        sys.exit(main(args.config))
    except (FileNotFoundError, ValueError) as err:
        print(f"ERROR: {err}")
        sys.exit(1)
