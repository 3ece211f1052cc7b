"""Reading the SQLite table and validating its schema before anything is fitted."""
import logging
import sqlite3
from pathlib import Path

import pandas as pd

from .errors import DataValidationError

logger = logging.getLogger(__name__)

FEATURE_COLUMNS = [
    "Age", "Occupation", "Marital Status", "Education Level", "Credit Default",
    "Housing Loan", "Personal Loan", "Contact Method", "Campaign Calls", "Previous Contact Days",
]
NUMERIC_COLUMNS = ["Campaign Calls", "Previous Contact Days"]


def read_table(db_path: str | Path, table: str) -> pd.DataFrame:
    """Return the whole table; raise DataValidationError if the file or table is unusable."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise DataValidationError(f"database not found: {db_path}")
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
            frame = pd.read_sql_query(f'SELECT * FROM "{table}"', conn)
    except (sqlite3.DatabaseError, pd.errors.DatabaseError) as exc:
        raise DataValidationError(f"cannot read table '{table}' from {db_path}: {exc}") from exc
    logger.info("read %d rows x %d columns from %s", *frame.shape, db_path)
    return frame


def validate(frame: pd.DataFrame, id_column: str, target: str | None, min_rows: int = 1) -> pd.DataFrame:
    """Check the schema and coerce types. Returns a copy safe to clean.

    Bad cells in numeric columns become NaN with a warning instead of aborting,
    because a handful of corrupt values should not stop scoring a whole campaign.
    """
    required = [id_column, *FEATURE_COLUMNS] + ([target] if target else [])
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataValidationError(f"missing column(s): {missing}")
    if len(frame) < min_rows:
        raise DataValidationError(f"only {len(frame)} rows, need at least {min_rows}")

    frame = frame.copy()
    for col in NUMERIC_COLUMNS:
        coerced = pd.to_numeric(frame[col], errors="coerce")
        n_bad = int(coerced.isna().sum() - frame[col].isna().sum())
        if n_bad == len(frame):
            raise DataValidationError(f"column '{col}' has no numeric values")
        if n_bad:
            logger.warning("%s: %d non-numeric value(s) set to missing", col, n_bad)
        frame[col] = coerced

    if target:
        labels = frame[target].astype("string").str.strip().str.lower()
        unexpected = set(labels.dropna().unique()) - {"yes", "no"}
        if unexpected:
            raise DataValidationError(f"unexpected target labels: {sorted(unexpected)}")
        frame[target] = labels
        if labels.nunique() < 2:
            raise DataValidationError("target has a single class; cannot train a classifier")
    if frame[id_column].duplicated().any():
        logger.warning("%d duplicated %s values", int(frame[id_column].duplicated().sum()), id_column)
    return frame
