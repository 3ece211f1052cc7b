"""Inference on data/holdout.db using the fitted pipeline and the chosen threshold."""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
from sklearn.pipeline import Pipeline

from .cleaning import clean
from .data import load_table, validate

logger = logging.getLogger(__name__)


def predict_holdout(model: Pipeline, threshold: float, cfg: dict) -> Path:
    """Score every holdout row and write output/predictions.csv; returns the file path.

    The holdout goes through exactly the same ``clean`` function and fitted pipeline as training.
    """
    dcfg = cfg["data"]
    raw = load_table(dcfg["holdout_path"], dcfg["table"])
    validate(raw, dcfg["id_column"])
    X = clean(raw, cfg["cleaning"]["age_sentinel"], cfg["cleaning"]["pdays_never_contacted"])
    proba = model.predict_proba(X)[:, 1]
    out = pd.DataFrame(
        {
            dcfg["id_column"]: raw[dcfg["id_column"]].to_numpy(),
            dcfg["target_column"]: ["yes" if p >= threshold else "no" for p in proba],
            f"{dcfg['target_column']}_proba": proba.round(5),
        }
    )
    out_dir = Path(cfg["output"]["dir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / cfg["output"]["predictions_file"]
    out.to_csv(path, index=False)
    logger.info("wrote %d predictions to %s (%.1f%% predicted 'yes')",
                len(out), path, 100 * (out[dcfg["target_column"]] == "yes").mean())
    return path
