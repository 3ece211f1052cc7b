"""Entry point: python -m src.main --folds 5 --seed 11"""
from __future__ import annotations

import argparse
import logging
from pathlib import Path

import pandas as pd

from src.components import Cleaner, DeliveryRepository, ModelTrainer


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Train and compare late-delivery classifiers")
    parser.add_argument("--train-db", default="data/deliveries.db")
    parser.add_argument("--holdout-db", default="data/holdout.db")
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", default="output/predictions.csv")
    return parser.parse_args()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    args = parse_args()
    table = DeliveryRepository(args.train_db).fetch()
    table = table.drop_duplicates(subset=table.columns.drop("delivery_id")).reset_index(drop=True)
    cleaner = Cleaner().fit(table)
    features = cleaner.transform(table)
    target = table["late"].astype(int).to_numpy()

    trainer = ModelTrainer(args.folds, args.seed)
    trainer.evaluate(features, target)
    print(pd.DataFrame(trainer.scores).T.round(3).to_string())
    print(f"selected: {trainer.best_name}")
    model = trainer.final_model(features, target)

    holdout_path = Path(args.holdout_db)
    if not holdout_path.exists():
        logging.warning("%s not found; no predictions written", holdout_path)
        return
    holdout = DeliveryRepository(str(holdout_path)).fetch()
    hold_features = cleaner.transform(holdout)[features.columns]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({
        "delivery_id": holdout["delivery_id"],
        "late": model.predict(hold_features),
        "late_proba": model.predict_proba(hold_features)[:, 1],
    }).to_csv(out, index=False)
    logging.info("predictions saved to %s", out)


if __name__ == "__main__":
    main()
