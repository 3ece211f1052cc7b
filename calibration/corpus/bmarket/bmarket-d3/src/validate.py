"""Schema and content validation, run before any cleaning."""
import logging
from typing import Any, Dict

import pandas as pd

logger = logging.getLogger(__name__)


class DataValidationError(Exception):
    """Raised when the input data cannot be used by the pipeline."""


def validate_frame(df: pd.DataFrame, cfg: Dict[str, Any], require_target: bool) -> pd.DataFrame:
    """Check that required columns exist and the data is usable.

    Numeric columns with non-numeric cells are coerced to NaN with a warning (they are
    imputed later); a numeric column that is entirely non-numeric is an error.
    """
    cols = cfg["columns"]
    required = [cols["id"]] + cols["numeric"] + cols["categorical"]
    if require_target:
        required.append(cols["target"])

    if df.empty:
        raise DataValidationError("Input table has no rows")
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataValidationError(f"Missing required columns: {missing}")
    if df[cols["id"]].isna().any():
        raise DataValidationError(f"Null values in id column '{cols['id']}'")

    df = df.copy()
    for col in ["Campaign Calls", "Previous Contact Days"]:
        converted = pd.to_numeric(df[col], errors="coerce")
        n_bad = int(converted.isna().sum() - df[col].isna().sum())
        if converted.notna().sum() == 0:
            raise DataValidationError(f"Column '{col}' has no numeric values")
        if n_bad:
            logger.warning("Column '%s': %d non-numeric values coerced to NaN", col, n_bad)
        df[col] = converted

    if require_target:
        target = df[cols["target"]].astype(str).str.strip().str.lower()
        bad = set(target.unique()) - {"yes", "no"}
        if bad:
            raise DataValidationError(f"Unexpected target labels: {sorted(bad)}")
        if target.nunique() < 2:
            raise DataValidationError("Target has a single class, cannot train")
        if len(df) < 100:
            raise DataValidationError(f"Only {len(df)} rows, not enough to train")

    dupes = int(df[cols["id"]].duplicated().sum())
    if dupes:
        logger.warning("%d duplicated ids found, keeping first occurrence", dupes)
        df = df.drop_duplicates(subset=cols["id"], keep="first")
    logger.info("Validation passed (%d rows)", len(df))
    return df
