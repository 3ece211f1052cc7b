"""Reading the SQLite tables and checking that they have the shape the pipeline expects."""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pandas as pd

logger = logging.getLogger(__name__)

FEATURE_COLUMNS = [
    "Age", "Occupation", "Marital Status", "Education Level", "Credit Default",
    "Housing Loan", "Personal Loan", "Contact Method", "Campaign Calls", "Previous Contact Days",
]
NUMERIC_COLUMNS = ["Campaign Calls", "Previous Contact Days"]


class DataValidationError(ValueError):
    """Raised when an input table is missing, empty or lacks required columns."""


def read_table(db_path: str | Path, table: str) -> pd.DataFrame:
    """Return ``table`` from the SQLite file at ``db_path`` as a DataFrame."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise DataValidationError(f"Database not found at {db_path} (expected relative to the project root)")
    with sqlite3.connect(db_path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if table not in tables:
            raise DataValidationError(f"Table {table!r} not in {db_path}; found {sorted(tables)}")
        df = pd.read_sql_query(f'SELECT * FROM "{table}"', conn)
    logger.info("Loaded %d rows x %d columns from %s", len(df), df.shape[1], db_path)
    return df


def validate(df: pd.DataFrame, id_col: str, target_col: str | None = None, min_rows: int = 1) -> pd.DataFrame:
    """Check required columns and row count; coerce numeric columns stored as text.

    Non-numeric cells in numeric columns become NaN (and are imputed later) so that a few bad
    values do not stop the run; a warning reports how many were coerced.
    """
    required = [id_col, *FEATURE_COLUMNS] + ([target_col] if target_col else [])
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataValidationError(f"Missing required columns: {missing}")
    if len(df) < min_rows:
        raise DataValidationError(f"Expected at least {min_rows} rows, got {len(df)}")

    df = df.copy()
    for col in NUMERIC_COLUMNS:
        converted = pd.to_numeric(df[col], errors="coerce")
        n_bad = int(converted.isna().sum() - df[col].isna().sum())
        if n_bad:
            logger.warning("%s: %d non-numeric values set to missing", col, n_bad)
        df[col] = converted
    if target_col:
        n_missing_target = int(df[target_col].isna().sum())
        if n_missing_target:
            logger.warning("Dropping %d rows without a target", n_missing_target)
            df = df[df[target_col].notna()]
    return df
