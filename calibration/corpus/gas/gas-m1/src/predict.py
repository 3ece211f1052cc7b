"""Inference on the hold-out database: same cleaning and features as training."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pandas as pd

from .cleaning import clean
from .data import CATEGORICAL_COLUMNS, NUMERIC_COLUMNS, read_table, validate
from .features import add_features

log = logging.getLogger(__name__)


def predict_holdout(model: Any, cfg: dict[str, Any]) -> pd.DataFrame:
    """Read `data/holdout.db`, transform it exactly like the training rows and predict."""
    data_cfg = cfg["data"]
    raw = read_table(data_cfg["holdout_db"], data_cfg["table"])
    required = [data_cfg["id_column"]] + NUMERIC_COLUMNS + CATEGORICAL_COLUMNS
    frame = validate(raw, required, min_rows=1, name="holdout")
    frame = clean(frame, cfg["cleaning"])            # no target -> no de-duplication, keep every row
    frame = add_features(frame, cfg["features"]["add_sensor_aggregates"])
    predictions = pd.DataFrame({
        data_cfg["id_column"]: frame[data_cfg["id_column"]],
        data_cfg["target"]: model.predict(frame),
    })
    if len(predictions) != len(raw):
        raise RuntimeError(f"{len(predictions)} predictions for {len(raw)} hold-out rows")
    return predictions


def write_predictions(predictions: pd.DataFrame, path: str | Path) -> None:
    """Write the predictions CSV, creating the folder if needed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    predictions.to_csv(path, index=False)
    log.info("wrote %d predictions to %s", len(predictions), path)
