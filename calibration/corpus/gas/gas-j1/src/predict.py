"""Score the unlabelled holdout table and write the predictions contract file."""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

logger = logging.getLogger(__name__)


def write_predictions(model, holdout_features: pd.DataFrame, ids: pd.Series, target: str,
                      id_column: str, path: Path) -> pd.DataFrame:
    """Predict one class per holdout row and save `id_column, target` as CSV."""
    predictions = pd.DataFrame({id_column: ids.to_numpy(), target: model.predict(holdout_features)})
    if len(predictions) != len(ids):
        raise RuntimeError("prediction count does not match the number of holdout rows")
    path.parent.mkdir(parents=True, exist_ok=True)
    predictions.to_csv(path, index=False)
    logger.info("wrote %d predictions to %s; class mix %s", len(predictions), path,
                predictions[target].value_counts(normalize=True).round(3).to_dict())
    return predictions
