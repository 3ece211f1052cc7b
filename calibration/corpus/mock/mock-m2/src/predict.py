"""Predict on the holdout deliveries and write output/predictions.csv."""
import os

import pandas as pd

from clean import clean_data
from features import add_features, get_X
from ingest import load_table


def predict_holdout(model, threshold, holdout_path, out_path):
    """Clean + featurise the holdout the same way as training, then predict."""
    raw = load_table(holdout_path)
    df = add_features(clean_data(raw))
    proba = model.predict_proba(get_X(df))[:, 1]
    out = pd.DataFrame({
        "delivery_id": raw["delivery_id"],
        "late": (proba >= threshold).astype(int),
        "late_proba": proba.round(4),
    })
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    out.to_csv(out_path, index=False)
    print(f"[predict] wrote {len(out)} rows to {out_path} ({out['late'].mean():.1%} predicted late)")
