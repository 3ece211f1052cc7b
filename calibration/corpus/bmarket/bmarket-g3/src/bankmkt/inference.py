"""Scoring new rows with the fitted model and writing the predictions contract."""
import logging
from pathlib import Path

import pandas as pd

from .cleaning import clean
from .data import read_table, validate
from .features import add_engineered

logger = logging.getLogger(__name__)


def predict_frame(model, raw: pd.DataFrame, cfg: dict, columns: list[str], threshold: float) -> pd.DataFrame:
    """Run validation, cleaning and features exactly as in training, then score."""
    d = cfg["data"]
    frame = add_engineered(clean(validate(raw, d["id_column"], target=None), cfg))
    proba = model.predict_proba(frame[columns])[:, 1]
    return pd.DataFrame({
        d["id_column"]: frame[d["id_column"]].to_numpy(),
        d["target"]: ["yes" if p >= threshold else "no" for p in proba],
        f"{d['target']}_proba": proba.round(5),
    })


def write_holdout_predictions(model, cfg: dict, columns: list[str], threshold: float) -> Path | None:
    """Score data/holdout.db if present; the output folder is created on demand."""
    d, o = cfg["data"], cfg["output"]
    holdout_path = Path(d["holdout_db"])
    if not holdout_path.is_file():
        logger.warning("no holdout database at %s; skipping predictions", holdout_path)
        return None
    preds = predict_frame(model, read_table(holdout_path, d["table"]), cfg, columns, threshold)
    out = Path(o["predictions_file"])
    out.parent.mkdir(parents=True, exist_ok=True)
    preds.to_csv(out, index=False)
    logger.info("wrote %d predictions (%.1f%% 'yes') to %s", len(preds),
                100 * (preds[d["target"]] == "yes").mean(), out)
    return out
