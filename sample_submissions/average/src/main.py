"""Main script: load data, clean it, train the models and predict data/holdout.db."""
import os
import sys

import pandas as pd
from sklearn.model_selection import train_test_split

from data import load_config, load_data
from model import get_models, train_and_compare
from preprocess import add_time_features, clean_data, encode


def prepare(df, config):
    df = clean_data(df, traffic_cap=config["traffic_cap"])
    df = add_time_features(df)
    df = encode(df)
    return df


def main():
    try:
        config = load_config("config.yaml")
    except FileNotFoundError:
        print("ERROR: config.yaml not found, run the pipeline from the submission folder")
        sys.exit(1)

    target = config["target"]
    id_col = config["id_col"]

    # training data
    df = load_data(config["data_path"], config["table_name"])
    n_before = len(df)
    df = df.drop_duplicates()
    print(f"Dropped {n_before - len(df)} duplicate rows")
    df = prepare(df, config)

    X = df.drop(columns=[target, id_col])
    y = df[target]
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=config["test_size"], stratify=y, random_state=config["random_state"]
    )
    print(f"Train size: {len(X_train)}, test size: {len(X_test)}")

    models = get_models(config)
    best_name, best_model, results = train_and_compare(models, X_train, y_train, X_test, y_test)

    # predict the holdout data with the best model
    holdout = load_data(config["holdout_path"], config["table_name"])
    ids = holdout[id_col]
    holdout = prepare(holdout, config)
    # make sure holdout has the same dummy columns as the training data
    X_holdout = holdout.reindex(columns=X.columns, fill_value=0)

    predictions = pd.DataFrame({
        id_col: ids,
        "late": best_model.predict(X_holdout),
        "late_proba": best_model.predict_proba(X_holdout)[:, 1],
    })
    os.makedirs(config["output_dir"], exist_ok=True)
    out_path = os.path.join(config["output_dir"], "predictions.csv")
    predictions.to_csv(out_path, index=False)
    print(f"Saved {len(predictions)} predictions to {out_path}")


if __name__ == "__main__":
    main()
