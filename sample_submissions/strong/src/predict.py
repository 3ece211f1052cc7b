"""Score new deliveries and write the predictions file of the contract.

The hold-out data goes through exactly the same cleaning and feature code as
the training data, but duplicates are *not* dropped: the contract asks for
one prediction per row of ``data/holdout.db``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
from sklearn.pipeline import Pipeline

from src.config import CleaningConfig
from src.features import add_features
from src.preprocessing import clean_deliveries
from src.train import positive_proba

logger = logging.getLogger(__name__)


def predict_deliveries(
    model: Pipeline,
    raw: pd.DataFrame,
    threshold: float,
    cleaning: CleaningConfig,
    id_column: str,
) -> pd.DataFrame:
    """Return ``id, late, late_proba`` for every row of a raw deliveries table.

    Args:
        model: fitted pipeline (preprocessor + classifier).
        raw: table as read from SQLite, without the target.
        threshold: probability cut-off tuned on the validation split.
        cleaning: the same cleaning rules that were used for training.
        id_column: name of the identifier column to copy through.
    """
    features = add_features(clean_deliveries(raw, cleaning))
    proba = positive_proba(model, features)
    predictions = pd.DataFrame(
        {
            id_column: raw[id_column].to_numpy(),
            "late": (proba >= threshold).astype(int),
            "late_proba": proba.round(6),
        }
    )
    logger.info(
        "Scored %d deliveries: %.1f%% predicted late",
        len(predictions),
        100 * predictions["late"].mean(),
    )
    return predictions


def write_predictions(predictions: pd.DataFrame, path: Path) -> None:
    """Write the predictions CSV, creating the output folder if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    predictions.to_csv(path, index=False)
    logger.info("Wrote %d predictions to %s", len(predictions), path)
