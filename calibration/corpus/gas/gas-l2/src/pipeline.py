"""Main entry point: load -> clean -> features -> split -> train/tune -> evaluate -> predict.

Usage: python src/pipeline.py --config config.json [--models xgboost random_forest] [--cv-folds 5]
"""
import argparse
import json
import os

import joblib
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder

from data_prep import clean_data, load_table, make_features
from predict import predict_holdout
from train import evaluate, train_models

REQUIRED_COLS = ["Time of Day", "Temperature", "Humidity", "CO2_InfraredSensor",
                 "CO2_ElectroChemicalSensor", "MetalOxideSensor_Unit1", "MetalOxideSensor_Unit2",
                 "MetalOxideSensor_Unit3", "MetalOxideSensor_Unit4", "CO_GasSensor",
                 "HVAC Operation Mode", "Ambient Light Level", "Activity Level"]


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--config", default="config.json")
    p.add_argument("--models", nargs="+", help="override list of models to train")
    p.add_argument("--cv-folds", type=int, help="override number of CV folds")
    p.add_argument("--test-size", type=float, help="override test split size")
    return p.parse_args()


def main():
    args = parse_args()
    with open(args.config) as f:
        config = json.load(f)
    if args.models:
        config["models"] = args.models
    if args.cv_folds:
        config["cv_folds"] = args.cv_folds
    if args.test_size:
        config["test_size"] = args.test_size

    print("1. loading data")
    df = load_table(config["db_path"], config["table"])
    missing = [c for c in REQUIRED_COLS if c not in df.columns]
    if missing:
        raise ValueError(f"missing columns in input data: {missing}")
    print(f"   {len(df)} rows")

    print("2. cleaning + features")
    df, medians = clean_data(df)
    X = make_features(df)
    le = LabelEncoder()
    y = le.fit_transform(df[config["target"]])
    print(f"   classes: {dict(zip(le.classes_, [int((y == i).sum()) for i in range(len(le.classes_))]))}")

    print("3. train/test split")
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=config["test_size"], stratify=y, random_state=config["seed"])
    print(f"   train {len(X_train)}, test {len(X_test)}")

    print("4. training models (CV on train set)")
    results = train_models(X_train, y_train, config)
    best_name = max(results, key=lambda k: results[k][1])
    best_model = results[best_name][0]
    print(f"   best model on CV: {best_name}")

    print(f"5. evaluation of {best_name} on test set")
    metrics = evaluate(best_model, X_test, y_test, list(le.classes_))

    os.makedirs(config["output_dir"], exist_ok=True)
    joblib.dump({"model": best_model, "label_encoder": le, "medians": medians},
                os.path.join(config["output_dir"], "model.joblib"))
    with open(os.path.join(config["output_dir"], "metrics.json"), "w") as f:
        json.dump({"model": best_name, **metrics,
                   "cv_scores": {k: v[1] for k, v in results.items()}}, f, indent=2)

    print("6. predicting holdout")
    predict_holdout(best_model, le, medians, config)


if __name__ == "__main__":
    main()
