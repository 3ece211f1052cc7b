"""Inference: apply the fitted pipeline to new deliveries and write the predictions file."""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
from sklearn.pipeline import Pipeline

from src.cleaning import clean_deliveries
from src.features import make_features

logger = logging.getLogger(__name__)


def predict_frame(pipeline: Pipeline, raw: pd.DataFrame, cfg: dict, threshold: float) -> pd.DataFrame:
    """Clean and featurise raw rows exactly as in training, then predict class and probability.

    Holdout rows are never dropped (duplicates included): one prediction per input row.
    """
    feats = make_features(clean_deliveries(raw), cfg["features"]["rush_hours"], cfg["features"]["use_engineered"])
    proba = pipeline.predict_proba(feats)[:, 1]
    target = cfg["data"]["target"]
    return pd.DataFrame({
        cfg["data"]["id_column"]: raw[cfg["data"]["id_column"]].values,
        target: (proba >= threshold).astype(int),
        f"{target}_proba": proba.round(5),
    })


def write_predictions(preds: pd.DataFrame, cfg: dict) -> Path:
    """Write the predictions CSV, creating the output folder if needed."""
    out_dir = Path(cfg["output"]["dir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / cfg["output"]["predictions_file"]
    preds.to_csv(path, index=False)
    logger.info("Wrote %d predictions to %s (%.1f%% predicted late)", len(preds), path,
                100 * preds.iloc[:, 1].mean())
    return path
