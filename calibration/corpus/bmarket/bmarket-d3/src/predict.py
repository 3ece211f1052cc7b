"""Inference on new data and writing the predictions file."""
import logging
from pathlib import Path
from typing import Any, Dict

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from .transform import prepare
from .validate import validate_frame

logger = logging.getLogger(__name__)


def predict_file(model: Pipeline, threshold: float, raw: pd.DataFrame, cfg: Dict[str, Any]) -> pd.DataFrame:
    """Validate, transform and score a raw holdout frame with the fitted model."""
    cols = cfg["columns"]
    df = prepare(validate_frame(raw, cfg, require_target=False), cfg)
    proba = model.predict_proba(df)[:, 1]
    return pd.DataFrame({
        cols["id"]: df[cols["id"]].to_numpy(),
        cols["target"]: np.where(proba >= threshold, "yes", "no"),
        f"{cols['target']}_proba": np.round(proba, 6),
    })


def write_predictions(preds: pd.DataFrame, output_dir: str) -> Path:
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "predictions.csv"
    preds.to_csv(path, index=False)
    logger.info("Wrote %d predictions to %s", len(preds), path)
    return path
