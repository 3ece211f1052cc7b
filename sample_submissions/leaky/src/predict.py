"""Scoring new deliveries and writing the predictions file."""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
from sklearn.base import ClassifierMixin

logger = logging.getLogger(__name__)


def write_predictions(ids: pd.Series, X: pd.DataFrame, model: ClassifierMixin, threshold: float,
                      out_path: str | Path) -> pd.DataFrame:
    """Predict ``late`` for ``X`` and write ``delivery_id,late,late_proba`` to ``out_path``."""
    proba = model.predict_proba(X)[:, 1]
    predictions = pd.DataFrame({
        "delivery_id": ids.to_numpy(),
        "late": (proba >= threshold).astype(int),
        "late_proba": proba.round(4),
    })
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    predictions.to_csv(out_path, index=False)
    logger.info("Wrote %d predictions (%.1f%% predicted late) to %s",
                len(predictions), 100 * predictions["late"].mean(), out_path)
    return predictions
