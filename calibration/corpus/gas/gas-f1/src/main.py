"""Run the whole pipeline: load -> clean -> split -> tune -> evaluate -> predict."""
import argparse
import json
import os

import pandas as pd
import yaml
from sklearn.model_selection import GroupShuffleSplit

from data_loader import load_table
from model import build_models, evaluate, tune_model
from preprocessing import CLASSES, FEATURE_COLS, MedianImputer, add_features, clean_data, clean_target, remove_duplicates


def main(config_path):
    with open(config_path) as f:
        cfg = yaml.safe_load(f)
    dcfg = cfg["data"]

    # 1. load + clean
    df = load_table(dcfg["db_path"], dcfg["table"])
    df[dcfg["target"]] = clean_target(df[dcfg["target"]])
    df = df.dropna(subset=[dcfg["target"]])
    df = remove_duplicates(df, dcfg["id_col"])
    df = add_features(clean_data(df, cfg))
    print("Class distribution:")
    print(df[dcfg["target"]].value_counts(normalize=True).round(3))

    # 2. grouped train/test split on Session ID (rows of one session are very similar)
    gss = GroupShuffleSplit(n_splits=1, test_size=cfg["split"]["test_size"], random_state=cfg["split"]["random_state"])
    train_idx, test_idx = next(gss.split(df, groups=df[dcfg["group_col"]]))
    train, test = df.iloc[train_idx], df.iloc[test_idx]
    print(f"Train: {len(train)} rows / {train[dcfg['group_col']].nunique()} sessions, "
          f"Test: {len(test)} rows / {test[dcfg['group_col']].nunique()} sessions")

    # 3. impute with medians from the training part only
    imputer = MedianImputer().fit(train[FEATURE_COLS])
    X_train = imputer.transform(train[FEATURE_COLS])
    X_test = imputer.transform(test[FEATURE_COLS])
    y_train, y_test = train[dcfg["target"]], test[dcfg["target"]]

    # 4. tune each model with grouped CV, evaluate on test
    results = {}
    fitted = {}
    for name, (model, grid) in build_models(cfg).items():
        search = tune_model(model, grid, X_train, y_train, train[dcfg["group_col"]], cfg["model"]["cv_folds"])
        metrics = evaluate(search.best_estimator_, X_test, y_test, CLASSES)
        train_f1 = evaluate(search.best_estimator_, X_train, y_train, CLASSES)["macro_f1"]
        print(f"\n=== {name} ===")
        print(f"best params: {search.best_params_}")
        print(f"CV macro F1: {search.best_score_:.3f} | train macro F1: {train_f1:.3f} | test macro F1: {metrics['macro_f1']:.3f}")
        print(f"test balanced accuracy: {metrics['balanced_accuracy']:.3f}, accuracy: {metrics['accuracy']:.3f}")
        results[name] = {
            "best_params": search.best_params_,
            "cv_macro_f1": search.best_score_,
            "train_macro_f1": train_f1,
            **{k: v for k, v in metrics.items() if k != "report"},
        }
        fitted[name] = (search, metrics)

    # 5. choose the final model on the CV score (not on test)
    best_name = max(fitted, key=lambda n: fitted[n][0].best_score_)
    best_search, best_metrics = fitted[best_name]
    print(f"\nFinal model: {best_name}")
    print(best_metrics["report"])
    print("Confusion matrix (rows = true, cols = predicted):", CLASSES)
    for row in best_metrics["confusion_matrix"]:
        print(row)

    os.makedirs(os.path.dirname(cfg["output"]["metrics_path"]), exist_ok=True)
    with open(cfg["output"]["metrics_path"], "w") as f:
        json.dump({"final_model": best_name, "results": results}, f, indent=2, default=str)

    # 6. predict the holdout if it is there
    if os.path.exists(dcfg["holdout_path"]):
        holdout = load_table(dcfg["holdout_path"], dcfg["table"])
        X_hold = imputer.transform(add_features(clean_data(holdout, cfg))[FEATURE_COLS])
        preds = pd.DataFrame({
            dcfg["id_col"]: holdout[dcfg["id_col"]],
            dcfg["target"]: best_search.best_estimator_.predict(X_hold),
        })
        os.makedirs(os.path.dirname(cfg["output"]["predictions_path"]), exist_ok=True)
        preds.to_csv(cfg["output"]["predictions_path"], index=False)
        print(f"Wrote {len(preds)} predictions to {cfg['output']['predictions_path']}")
    else:
        print(f"No holdout file at {dcfg['holdout_path']}, skipping predictions")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", default="config.yaml")
    args = parser.parse_args()
    main(args.config)
