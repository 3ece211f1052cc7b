"""Inference on data/holdout.db using the same cleaning and fitted pipeline as training."""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
from sklearn.pipeline import Pipeline

from src.cleaning import CLASSES, clean_frame
from src.data import ID_COL, TARGET

log = logging.getLogger(__name__)


def predict_holdout(model: Pipeline, holdout: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    """Return one prediction per holdout row, in the holdout's order."""
    cleaned = clean_frame(holdout, cfg)
    preds = model.predict(cleaned)
    out = pd.DataFrame({ID_COL: holdout[ID_COL].to_numpy(), TARGET: preds})
    if len(out) != len(holdout) or not out[TARGET].isin(CLASSES).all():
        raise RuntimeError("prediction contract violated (row count or class names)")
    return out


def write_predictions(preds: pd.DataFrame, out_dir: str | Path, filename: str) -> Path:
    """Write output/predictions.csv, creating the folder if needed."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / filename
    preds.to_csv(path, index=False)
    log.info("wrote %d predictions to %s", len(preds), path)
    return path
