"""
pipeline.py
Main entry point: runs ingestion -> preprocessing -> training -> evaluation -> prediction.

Usage: python -m src.pipeline --config config.json
"""
import argparse
import json
import os

import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder

from src.data_ingestion import load_data
from src.preprocessing import preprocess
from src.train import evaluate_model, select_features, tune_model


def main(config_path):
    with open(config_path) as f:
        config = json.load(f)

    # 1. load data
    df = load_data(config["db_path"], config["table_name"])

    # 2. clean and prepare
    X, y, state = preprocess(df, target=config["target"])
    label_encoder = LabelEncoder()
    y_encoded = label_encoder.fit_transform(y)
    print("Classes:", list(label_encoder.classes_))

    # 3. feature selection
    features = select_features(X, y_encoded, config["n_features"])
    X = X[features]

    # 4. train test split
    X_train, X_test, y_train, y_test = train_test_split(
        X, y_encoded, test_size=config["test_size"], random_state=config["random_state"], stratify=y_encoded
    )
    print(f"Train size: {len(X_train)}, test size: {len(X_test)}")

    # 5. train and evaluate every model in the config
    results = {}
    models = {}
    for name, grid in config["models"].items():
        print(f"\n===== {name} =====")
        model = tune_model(name, grid, X_train, y_train, config["cv_folds"], config["random_state"])
        results[name] = evaluate_model(model, X_test, y_test, label_encoder.classes_)
        models[name] = model

    results_df = pd.DataFrame(results).T
    print("\nModel comparison on test set:")
    print(results_df)

    best_name = results_df["accuracy"].idxmax()
    best_model = models[best_name]
    print(f"\nBest model: {best_name}")

    # 6. predict on holdout
    holdout = load_data(config["holdout_path"], config["table_name"])
    X_holdout, _, _ = preprocess(holdout, target=None, state=state)
    preds = best_model.predict(X_holdout[features])

    os.makedirs(config["output_dir"], exist_ok=True)
    out = pd.DataFrame({
        "Record ID": holdout["Record ID"],
        config["target"]: label_encoder.inverse_transform(preds),
    })
    out_path = os.path.join(config["output_dir"], "predictions.csv")
    out.to_csv(out_path, index=False)
    print(f"Predictions saved to {out_path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", default="config.json")
    args = parser.parse_args()
    main(args.config)
