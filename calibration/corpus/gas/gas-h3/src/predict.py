"""Predict on the holdout database and write output/predictions.csv."""
import os

import pandas as pd

from src.ingest import ID_COL, load
from src.preprocess import add_features, clean, get_xy


def predict_holdout(model, holdout_path, out_path):
    df = load(holdout_path, need_target=False)
    X, _ = get_xy(add_features(clean(df)))
    out = pd.DataFrame({ID_COL: df[ID_COL], "Activity Level": model.predict(X)})
    os.makedirs(os.path.dirname(out_path) or ".", exist_ok=True)
    out.to_csv(out_path, index=False)
    print(f"wrote {len(out)} predictions -> {out_path}")
    print(out["Activity Level"].value_counts().to_string())
