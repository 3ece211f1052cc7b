"""Stage 6: predict on the holdout deliveries and write output/predictions.csv."""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
from sklearn.pipeline import Pipeline

from src.clean import CATEGORICAL_COLUMNS

logger = logging.getLogger(__name__)


def warn_unseen_categories(train: pd.DataFrame, new: pd.DataFrame) -> None:
    """Log categories absent from training; the one-hot encoder maps them to all zeros."""
    for col in CATEGORICAL_COLUMNS:
        unseen = set(new[col].dropna().unique()) - set(train[col].dropna().unique())
        if unseen:
            logger.warning("%s: unseen categories at inference %s (encoded as all-zero)", col, sorted(unseen))


def predict(pipeline: Pipeline, threshold: float, holdout: pd.DataFrame, id_column: str) -> pd.DataFrame:
    """Return one row per holdout delivery with the class and the probability of being late."""
    proba = pipeline.predict_proba(holdout)[:, 1]
    return pd.DataFrame({
        id_column: holdout[id_column].to_numpy(),
        "late": (proba >= threshold).astype(int),
        "late_proba": proba.round(5),
    })


def write_predictions(predictions: pd.DataFrame, path: str | Path) -> None:
    """Write the predictions CSV, creating the output folder if needed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    predictions.to_csv(path, index=False)
    logger.info("wrote %d predictions to %s (%.1f%% flagged late)", len(predictions), path,
                100 * predictions["late"].mean())
