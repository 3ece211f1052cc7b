"""Generate predictions for the holdout database."""
import os

import pandas as pd

from data_loader import load_data
from preprocess import ID_COL, TARGET, clean_data, get_features


def predict_holdout(model, holdout_path: str, output_path: str) -> pd.DataFrame:
    """Predict on holdout db and save csv in the required format."""
    raw = load_data(holdout_path)
    df = clean_data(raw)
    X = get_features(df)

    proba = model.predict_proba(X)[:, 1]
    preds = model.predict(X)

    out = pd.DataFrame(
        {
            ID_COL: raw[ID_COL],
            TARGET: ["yes" if p == 1 else "no" for p in preds],
            f"{TARGET}_proba": proba,
        }
    )
    os.makedirs(os.path.dirname(output_path), exist_ok=True)
    out.to_csv(output_path, index=False)
    return out
