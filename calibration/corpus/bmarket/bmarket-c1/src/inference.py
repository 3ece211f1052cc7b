"""Score new clients (data/holdout.db) with the fitted pipeline and write the predictions file."""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
from sklearn.pipeline import Pipeline

from .cleaning import clean
from .data_loader import read_table, validate_frame

logger = logging.getLogger(__name__)


def predict_holdout(pipeline: Pipeline, threshold: float, config: dict) -> Path | None:
    """Predict every holdout row; returns the CSV path, or None when no holdout is provided."""
    data_cfg, out_cfg = config["data"], config["output"]
    holdout_path = Path(data_cfg["holdout_path"])
    if not holdout_path.is_file():
        logger.warning("No holdout database at %s; skipping predictions", holdout_path)
        return None

    raw = read_table(holdout_path, data_cfg["table"])
    validate_frame(raw, data_cfg["id_column"], target_column=None)
    features = clean(raw, config["cleaning"], has_target=False).drop(columns=["client_id"])

    proba = pipeline.predict_proba(features)[:, 1]
    predictions = pd.DataFrame(
        {
            data_cfg["id_column"]: raw[data_cfg["id_column"]].to_numpy(),
            data_cfg["target_column"]: ["yes" if p >= threshold else "no" for p in proba],
            f"{data_cfg['target_column']}_proba": proba.round(5),
        }
    )
    out_path = Path(out_cfg["dir"]) / out_cfg["predictions_file"]
    out_path.parent.mkdir(parents=True, exist_ok=True)
    predictions.to_csv(out_path, index=False)
    logger.info(
        "Wrote %d predictions to %s (%.1f%% predicted 'yes')",
        len(predictions), out_path, 100 * (predictions[data_cfg["target_column"]] == "yes").mean(),
    )
    return out_path
