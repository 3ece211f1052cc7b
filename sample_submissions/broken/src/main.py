"""Entry point: python -m src.main [--config config.yaml]"""
import argparse
import logging
import os

import pandas as pd
import yaml
from sklearn.model_selection import train_test_split

from src.data import load_table
from src.preprocess import clean
from src.train import train_and_select

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
logger = logging.getLogger("pipeline")


def main():
    parser = argparse.ArgumentParser(description="Late delivery prediction pipeline")
    parser.add_argument("--config", default="config.yaml")
    args = parser.parse_args()

    logger.info("Reading config from %s", args.config)
    with open(args.config) as f:
        cfg = yaml.safe_load(f)

    target = cfg["data"]["target"]
    features = cfg["features"]["numeric"] + cfg["features"]["categorical"] + cfg["features"]["binary"]

    df = load_table(cfg["data"]["train_db"], cfg["data"]["table"])
    df = clean(df, cfg, is_train=True)

    X, y = df[features], df[target]
    X_train, X_val, y_train, y_val = train_test_split(
        X, y, test_size=cfg["split"]["test_size"], stratify=y,
        random_state=cfg["split"]["random_state"])
    logger.info("Train: %d rows, validation: %d rows", len(X_train), len(X_val))

    best_name, model = train_and_select(X_train, y_train, X_val, y_val, cfg)

    # refit the chosen model on all the labelled data
    model.fit(X, y)

    holdout = load_table(cfg["data"]["holdout_db"], cfg["data"]["table"])
    holdout = clean(holdout, cfg, is_train=False)
    out = pd.DataFrame({
        "delivery_id": holdout["delivery_id"],
        "late": model.predict(holdout[features]),
        "late_proba": model.predict_proba(holdout[features])[:, 1],
    })
    out_path = cfg["output"]["predictions"]
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    out.to_csv(out_path, index=False)
    logger.info("Wrote %d predictions to %s using %s", len(out), out_path, best_name)


if __name__ == "__main__":
    main()
