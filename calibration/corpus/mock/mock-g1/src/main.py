"""Run the whole pipeline: load -> clean -> features -> split -> train -> evaluate -> predict."""
import argparse
import json
import os
import pickle

import yaml
from sklearn.model_selection import train_test_split

from src.data_loader import load_table
from src.evaluate import evaluate, report
from src.features import add_features, get_X
from src.predict import predict_holdout
from src.preprocess import clean_data, drop_duplicates
from src.train import train_models


def load_config(path):
    with open(path) as f:
        return yaml.safe_load(f)


def main(config_path):
    cfg = load_config(config_path)
    data_cfg = cfg["data"]
    split_cfg = cfg["split"]

    # 1. load
    df = load_table(data_cfg["db_path"], data_cfg["table"])
    print(f"Loaded {len(df)} rows")
    if data_cfg["target"] not in df.columns:
        raise KeyError(f"Target column '{data_cfg['target']}' missing")

    # 2. clean + features
    df = drop_duplicates(df, data_cfg["id_col"])
    df = add_features(clean_data(df, cfg), cfg)
    X = get_X(df)
    y = df[data_cfg["target"]].astype(int)

    # 3. split train / validation / test (stratified, target is 23% positive)
    X_tmp, X_test, y_tmp, y_test = train_test_split(
        X, y, test_size=split_cfg["test_size"], stratify=y, random_state=split_cfg["random_state"])
    X_train, X_val, y_train, y_val = train_test_split(
        X_tmp, y_tmp, test_size=split_cfg["val_size"], stratify=y_tmp,
        random_state=split_cfg["random_state"])
    print(f"train={len(X_train)} val={len(X_val)} test={len(X_test)}")

    # 4. train with grid search (CV on train)
    searches = train_models(X_train, y_train, cfg)

    # 5. compare on validation, pick best by F1
    val_scores = {}
    for name, search in searches.items():
        val_scores[name] = evaluate(search.best_estimator_, X_val, y_val, name=f"{name} (validation)")
    best_name = max(val_scores, key=lambda n: val_scores[n]["f1"])
    best_model = searches[best_name].best_estimator_
    print(f"\nBest model on validation: {best_name}")

    # 6. final check on the test set
    test_metrics = evaluate(best_model, X_test, y_test, name=f"{best_name} (test)")
    report(best_model, X_test, y_test)

    # 7. save model + metrics
    os.makedirs(os.path.dirname(cfg["output"]["model_path"]), exist_ok=True)
    with open(cfg["output"]["model_path"], "wb") as f:
        pickle.dump(best_model, f)
    os.makedirs(os.path.dirname(cfg["output"]["metrics_path"]), exist_ok=True)
    with open(cfg["output"]["metrics_path"], "w") as f:
        json.dump({"best_model": best_name, "validation": val_scores, "test": test_metrics}, f, indent=2)

    # 8. predict holdout
    if os.path.exists(data_cfg["holdout_path"]):
        predict_holdout(best_model, cfg)
    else:
        print(f"No holdout found at {data_cfg['holdout_path']}, skipping predictions")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Late delivery prediction pipeline")
    parser.add_argument("--config", default="config.yaml", help="path to the config file")
    args = parser.parse_args()
    main(args.config)
