"""Predictions for data/holdout.db (if the file exists)."""
import logging
from pathlib import Path

import pandas as pd

from src.data_loader import load_table
from src.features import add_features, to_model_frame
from src.preprocessing import clean

logger = logging.getLogger(__name__)


def predict_holdout(model, cfg, numeric, categorical):
    """Clean the holdout exactly like the training data, predict, and write the CSV."""
    data_cfg, out_cfg = cfg["data"], cfg["output"]
    holdout_path = Path(data_cfg["holdout_path"])
    if not holdout_path.exists():
        logger.info("No holdout file at %s - skipping predictions", holdout_path)
        return None

    raw = load_table(holdout_path, data_cfg["table"], required_extra=[data_cfg["id_column"]])
    # no de-duplication here: every holdout row needs a prediction
    holdout = add_features(clean(raw, target=None, drop_duplicates=False))
    X = to_model_frame(holdout, numeric, categorical)

    predictions = pd.DataFrame({
        data_cfg["id_column"]: holdout[data_cfg["id_column"]],
        data_cfg["target"]: model.predict(X),
    })
    out_dir = Path(out_cfg["dir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    out_file = out_dir / out_cfg["predictions_file"]
    predictions.to_csv(out_file, index=False)
    logger.info("Wrote %d predictions to %s", len(predictions), out_file)
    print("Predicted class counts:")
    print(predictions[data_cfg["target"]].value_counts().to_string())
    return predictions
