"""
run_pipeline.py
Main script. Usage: python src/run_pipeline.py [--config config.json]
"""
import argparse
import json
import os

import pandas as pd
from sklearn.model_selection import train_test_split

from clean import ACTIVITY_NAME, FEATURES, encode_activity, fix_sensor_errors, impute, make_features
from load import read_sensor_table
from model import fit_forest, fit_ridge, score, to_class


def prepare(df, medians=None, mox_mean=None, mox_sd=None):
    """cleaning + imputation + features, returns X and the fitted statistics"""
    df = fix_sensor_errors(df)
    df, medians = impute(df, medians)
    df, mox_mean, mox_sd = make_features(df, mox_mean, mox_sd)
    return df, medians, mox_mean, mox_sd


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default="config.json")
    args = ap.parse_args()
    with open(args.config) as f:
        cfg = json.load(f)

    raw = read_sensor_table(cfg["db_path"], cfg["table_name"])
    print("rows read:", len(raw))
    raw["y"] = encode_activity(raw["Activity Level"])
    raw = raw.drop_duplicates(subset=[c for c in raw.columns if c not in ("Record ID", "Activity Level")])
    print("rows after removing duplicates:", len(raw))

    data, medians, mox_mean, mox_sd = prepare(raw)
    X = data[FEATURES]
    y = data["y"]

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=cfg["test_size"], random_state=cfg["seed"], stratify=y)
    print(f"train n={len(X_train)}, test n={len(X_test)}")

    ridge = fit_ridge(X_train, y_train, cfg["ridge_alphas"], cfg["cv_folds"], cfg["seed"])
    forest = fit_forest(X_train, y_train, cfg["forest_params"], cfg["cv_folds"], cfg["seed"])

    results = {}
    for name, gs in [("ridge", ridge), ("random_forest", forest)]:
        test_scores = score(y_test.values, gs.predict(X_test))
        results[name] = {"best_params": gs.best_params_, "cv_MAE": -gs.best_score_, **test_scores}
        print(f"\n{name}: best params {gs.best_params_}")
        print(f"  CV MAE = {-gs.best_score_:.4f}")
        for k, v in test_scores.items():
            print(f"  test {k} = {v:.4f}")

    best_name = min(results, key=lambda k: results[k]["cv_MAE"])
    best = ridge if best_name == "ridge" else forest
    print(f"\nselected model: {best_name} (lowest CV MAE)")

    os.makedirs(cfg["output_dir"], exist_ok=True)
    with open(os.path.join(cfg["output_dir"], "results.json"), "w") as f:
        json.dump(results, f, indent=2)

    if os.path.exists(cfg["holdout_path"]):
        hold = read_sensor_table(cfg["holdout_path"], cfg["table_name"])
        hold_data, _, _, _ = prepare(hold, medians, mox_mean, mox_sd)
        pred = to_class(best.predict(hold_data[FEATURES]))
        out = pd.DataFrame({"Record ID": hold["Record ID"],
                            "Activity Level": pd.Series(pred).map(ACTIVITY_NAME).values})
        out.to_csv(os.path.join(cfg["output_dir"], "predictions.csv"), index=False)
        print("predictions written:", len(out))
        print(out["Activity Level"].value_counts())


if __name__ == "__main__":
    main()
