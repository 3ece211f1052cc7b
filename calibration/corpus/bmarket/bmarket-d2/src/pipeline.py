"""Main script: load -> clean -> split -> fit OLS and GBR -> evaluate -> predict holdout.

Usage: python src/pipeline.py --config config.json [--threshold 0.5]
"""
import argparse
import json
import os

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from load_data import read_table
from clean import clean_data, make_dummies
from models import fit_ols, fit_gbr, evaluate, print_results


def get_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", default="config.json")
    parser.add_argument("--threshold", type=float, default=None,
                        help="cut-off for yes/no (overrides config)")
    parser.add_argument("--test_size", type=float, default=None)
    return parser.parse_args()


def main():
    args = get_args()
    with open(args.config) as f:
        cfg = json.load(f)
    if args.threshold is not None:
        cfg["threshold"] = args.threshold
    if args.test_size is not None:
        cfg["test_size"] = args.test_size

    # 1. data
    raw = read_table(cfg["db_path"], cfg["table"])
    data = clean_data(raw)
    y = data["y"]
    X = make_dummies(data.drop(columns=["y", "Client ID"]))
    print("Share of y=1:", round(y.mean(), 4))

    # 2. split
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=cfg["test_size"], random_state=cfg["random_state"])
    print("Train:", X_train.shape, " Test:", X_test.shape)

    # 3. OLS
    ols = fit_ols(X_train, y_train)
    res_ols = evaluate(ols, X_test, y_test, cfg["threshold"])
    print_results("Linear regression (LPM)", res_ols)
    coefs = pd.Series(ols.coef_, index=X_train.columns).sort_values()
    print("Largest OLS coefficients:")
    print(pd.concat([coefs.head(5), coefs.tail(5)]).round(4))

    # 4. GBR, try the settings from the config and keep the best RMSE
    best_gbr, best_res, best_params = None, None, None
    for params in cfg["gbr_candidates"]:
        m = fit_gbr(X_train, y_train, params, cfg["random_state"])
        r = evaluate(m, X_test, y_test, cfg["threshold"])
        print("GBR", params, "RMSE=%.4f R2=%.4f" % (r["RMSE"], r["R2"]))
        if best_res is None or r["RMSE"] < best_res["RMSE"]:
            best_gbr, best_res, best_params = m, r, params
    print_results("Gradient boosting regressor " + str(best_params), best_res)

    # 5. pick the final model by RMSE
    if best_res["RMSE"] < res_ols["RMSE"]:
        final, final_name = best_gbr, "GradientBoostingRegressor"
    else:
        final, final_name = ols, "LinearRegression"
    print("=" * 50)
    print("Final model:", final_name)

    # 6. predict on new data
    os.makedirs(cfg["output_dir"], exist_ok=True)
    if os.path.exists(cfg["holdout_path"]):
        new = read_table(cfg["holdout_path"], cfg["table"])
        new_clean = clean_data(new)
        X_new = make_dummies(new_clean.drop(columns=["Client ID"]), columns=X_train.columns)
        p = final.predict(X_new)
        out = pd.DataFrame({
            "Client ID": new["Client ID"],
            "Subscription Status": np.where(p >= cfg["threshold"], "yes", "no"),
            "Subscription Status_proba": np.clip(p, 0, 1),
        })
        out.to_csv(os.path.join(cfg["output_dir"], "predictions.csv"), index=False)
        print("Predictions saved:", len(out), "rows,", (out["Subscription Status"] == "yes").sum(), "yes")
    else:
        print("No holdout file found at", cfg["holdout_path"])


if __name__ == "__main__":
    main()
