"""End-to-end pipeline: read -> clean -> features -> train/compare -> save -> predict holdout.

Every setting has a default and can be changed on the command line, e.g.
    python main.py --gb-trees 500 --gb-learning-rate 0.03 --test-size 0.25
"""
import argparse
import os

import pandas as pd
from sklearn.model_selection import train_test_split

import data
import features
import model

TARGET = "late"
ID_COLUMN = "delivery_id"


def parse_args():
    """Command-line options (paths, split and model parameters)."""
    parser = argparse.ArgumentParser(description="Late delivery prediction pipeline")
    parser.add_argument("--train-db", default="data/deliveries.db")
    parser.add_argument("--holdout-db", default="data/holdout.db")
    parser.add_argument("--model-path", default="models/model.joblib")
    parser.add_argument("--output", default="../output/predictions.csv")
    parser.add_argument("--test-size", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--lr-c", type=float, default=1.0, help="inverse regularisation of LR")
    parser.add_argument("--gb-trees", type=int, default=250)
    parser.add_argument("--gb-learning-rate", type=float, default=0.05)
    parser.add_argument("--gb-depth", type=int, default=3)
    return parser.parse_args()


def prepare(raw):
    """Row-wise cleaning and time features (safe to run before the split)."""
    return features.add_time_features(features.clean(raw))


def predict_holdout(bundle, holdout_db, output_file):
    """Apply the saved preprocessing and model to the holdout table and write the CSV."""
    holdout = data.read_deliveries(holdout_db)
    ids = holdout[ID_COLUMN]
    X_new = prepare(holdout).drop(columns=[ID_COLUMN])
    X_new = features.fill_missing(X_new, bundle["fill_values"])
    X_new = features.one_hot(X_new, bundle["columns"])

    fitted = bundle["model"]
    predictions = pd.DataFrame({
        ID_COLUMN: ids,
        TARGET: fitted.predict(X_new).astype(int),
        "late_proba": fitted.predict_proba(X_new)[:, 1].round(4),
    })
    os.makedirs(os.path.dirname(output_file), exist_ok=True)
    predictions.to_csv(output_file, index=False)
    print(f"[predict] wrote {len(predictions)} rows to {output_file} "
          f"({predictions[TARGET].mean():.1%} predicted late)")


def main():
    settings = parse_args()

    raw = data.remove_duplicates(data.read_deliveries(settings.train_db))
    table = prepare(raw)
    X = table.drop(columns=[TARGET, ID_COLUMN])
    y = table[TARGET].astype(int)

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=settings.test_size, stratify=y, random_state=settings.seed)
    print(f"[split] train {len(X_train)} rows, test {len(X_test)} rows, "
          f"late rate {y_train.mean():.3f} / {y_test.mean():.3f}")

    # medians are learnt on the training part only, then reused for test and holdout
    fill_values = features.learn_fill_values(X_train)
    X_train = features.one_hot(features.fill_missing(X_train, fill_values))
    X_test = features.one_hot(features.fill_missing(X_test, fill_values), X_train.columns)

    models = model.build_models(settings)
    best_name, _ = model.compare(models, X_train, y_train, X_test, y_test)

    bundle = {
        "name": best_name,
        "model": models[best_name],
        "columns": list(X_train.columns),
        "fill_values": fill_values,
    }
    model.save_model(bundle, settings.model_path)
    predict_holdout(bundle, settings.holdout_db, settings.output)


if __name__ == "__main__":
    main()
