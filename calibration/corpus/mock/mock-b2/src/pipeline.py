"""
Main script of the pipeline:  python src/pipeline.py --config config.yaml

load -> clean -> features -> split -> CV model selection -> test scores -> predict holdout
"""
import argparse
import json
import os
import sys

import numpy as np
import pandas as pd
import yaml
from sklearn.model_selection import train_test_split

from data_prep import load_table, clean, add_time_features, fill_missing, make_matrix, NUM_COLS
from models import build_candidates, cv_rmse, regression_scores


def main(config_path):
    with open(config_path) as f:
        cfg = yaml.safe_load(f)
    seed = cfg["split"]["random_state"]
    out_dir = cfg["data"]["output_dir"]
    os.makedirs(out_dir, exist_ok=True)

    # ---- data ----
    df = load_table(cfg["data"]["train_db"], cfg["data"]["table"])
    print("loaded", df.shape)
    df = add_time_features(clean(df))
    print("after cleaning", df.shape)

    train, test = train_test_split(df, test_size=cfg["split"]["test_size"], random_state=seed)
    medians = train[NUM_COLS].median().to_dict()
    train = fill_missing(train, medians)
    test = fill_missing(test, medians)

    X_train = make_matrix(train)
    X_test = make_matrix(test, columns=X_train.columns)
    y_train = train["late"].astype(float)
    y_test = test["late"].astype(float)

    # ---- model selection with k-fold CV ----
    candidates = build_candidates(cfg, seed)
    results = {}
    for name, model in candidates.items():
        m, s = cv_rmse(model, X_train, y_train, cfg["cv_folds"], seed)
        results[name] = {"cv_rmse": m, "cv_rmse_std": s}
        print("%-12s CV RMSE = %.4f +/- %.4f" % (name, m, s))

    best = min(results, key=lambda k: results[k]["cv_rmse"])
    print("best model:", best)

    # ---- test set ----
    for name, model in candidates.items():
        model.fit(X_train, y_train)
        results[name].update({"test_" + k: v for k, v in
                              regression_scores(y_test, model.predict(X_test)).items()})
    print(pd.DataFrame(results).T.round(4))
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump({"best": best, "results": results}, f, indent=2)

    if best.startswith("rf"):
        imp = pd.Series(candidates[best].feature_importances_, index=X_train.columns)
        print("top features:\n", imp.sort_values(ascending=False).head(10).round(3))

    # ---- holdout predictions ----
    hold = load_table(cfg["data"]["holdout_db"], cfg["data"]["table"])
    hold = fill_missing(add_time_features(clean(hold)), medians)
    pred = candidates[best].predict(make_matrix(hold, columns=X_train.columns))
    late = (pred >= cfg["round_at"]).astype(int)
    pd.DataFrame({"delivery_id": hold["delivery_id"], "late": late}).to_csv(
        os.path.join(out_dir, "predictions.csv"), index=False)
    print("saved %d predictions, %.1f%% predicted late" % (len(late), 100 * late.mean()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", default="config.yaml")
    args = parser.parse_args()
    try:
        main(args.config)
    except FileNotFoundError as e:
        print("ERROR:", e)
        sys.exit(1)
