"""Scoring the holdout deliveries."""
import os

import pandas as pd


def write_predictions(model, cleaner, features, holdout: pd.DataFrame, out_dir: str, threshold: float = 0.5) -> str:
    """Apply the fitted cleaner/feature builder/model to the holdout and save output/predictions.csv."""
    X = features.transform(cleaner.transform(holdout))
    proba = model.predict_proba(X)[:, 1]
    out = pd.DataFrame({
        "delivery_id": holdout["delivery_id"].values,
        "late": (proba >= threshold).astype(int),
        "late_proba": proba.round(4),
    })
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "predictions.csv")
    out.to_csv(path, index=False)
    print(f"[predict] wrote {len(out)} rows to {path} ({out['late'].mean():.1%} predicted late)")
    return path
