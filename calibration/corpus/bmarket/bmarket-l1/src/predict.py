"""Inference on new rows (the assessors' ``data/holdout.db``) with the fitted pipeline."""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from .cleaning import clean
from .data_loader import read_table, validate

logger = logging.getLogger(__name__)


def predict_holdout(model, threshold: float, cfg: dict) -> pd.DataFrame | None:
    """Score the holdout table and write ``output/predictions.csv``; skip if there is no holdout."""
    dcfg, ocfg = cfg["data"], cfg["output"]
    holdout_path = Path(dcfg["holdout_path"])
    if not holdout_path.is_file():
        logger.warning("No holdout database at %s; skipping predictions", holdout_path)
        return None

    raw = validate(read_table(holdout_path, dcfg["table"]), id_col=dcfg["id_column"])
    X = clean(raw, cfg)
    proba = model.predict_proba(X)[:, 1]
    target = dcfg["target_column"]
    predictions = pd.DataFrame({
        dcfg["id_column"]: raw[dcfg["id_column"]].to_numpy(),
        target: ["yes" if p >= threshold else "no" for p in proba],
        f"{target}_proba": proba.round(5),
    })
    out_path = Path(ocfg["dir"]) / ocfg["predictions_file"]
    out_path.parent.mkdir(parents=True, exist_ok=True)
    predictions.to_csv(out_path, index=False)
    logger.info("Wrote %d predictions to %s (%.1f%% predicted yes)", len(predictions), out_path,
                100 * (predictions[target] == "yes").mean())
    return predictions
