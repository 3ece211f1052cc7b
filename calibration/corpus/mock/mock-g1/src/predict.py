"""Inference on the holdout database."""
import os

import pandas as pd

from src.data_loader import load_table
from src.features import add_features, get_X
from src.preprocess import clean_data


def predict_holdout(model, cfg):
    """Clean the holdout data with the same steps and write predictions.csv."""
    data_cfg = cfg["data"]
    holdout = load_table(data_cfg["holdout_path"], data_cfg["table"])
    ids = holdout[data_cfg["id_col"]]

    holdout = add_features(clean_data(holdout, cfg), cfg)
    X = get_X(holdout)

    out = pd.DataFrame({
        data_cfg["id_col"]: ids,
        data_cfg["target"]: model.predict(X).astype(int),
        f"{data_cfg['target']}_proba": model.predict_proba(X)[:, 1].round(4),
    })
    out_path = cfg["output"]["predictions_path"]
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    out.to_csv(out_path, index=False)
    print(f"Wrote {len(out)} predictions to {out_path}")
    return out
