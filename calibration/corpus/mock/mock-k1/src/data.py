"""Data access and schema validation.

Everything that touches SQLite lives here, so the rest of the pipeline only
ever sees a validated pandas DataFrame.
"""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pandas as pd

logger = logging.getLogger(__name__)

FEATURE_COLUMNS = [
    "order_datetime", "region", "distance_km", "parcel_weight", "num_items",
    "vehicle_type", "driver_experience_yrs", "driver_rating", "weather",
    "traffic_index", "customer_tier", "express",
]
NUMERIC_COLUMNS = ["distance_km", "num_items", "driver_experience_yrs", "driver_rating", "traffic_index"]


class DataValidationError(ValueError):
    """Raised when an input table cannot be used by the pipeline."""


def load_table(db_path: str | Path, table: str) -> pd.DataFrame:
    """Read one table from a SQLite file, failing with a clear message if it is absent."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"Database not found: {db_path} (place it under data/ as described in README)")
    with sqlite3.connect(db_path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if table not in tables:
            raise DataValidationError(f"Table '{table}' not found in {db_path}; found {sorted(tables)}")
        df = pd.read_sql_query(f'SELECT * FROM "{table}"', conn)
    logger.info("Loaded %d rows x %d columns from %s", len(df), df.shape[1], db_path)
    return df


def validate(df: pd.DataFrame, id_column: str, target: str | None = None, min_rows: int = 1) -> pd.DataFrame:
    """Check required columns and row count; coerce numeric columns, logging how many cells were unreadable.

    A few non-numeric cells become NaN (and are imputed later); a column that is
    entirely unreadable is rejected because the model would silently lose a feature.
    """
    required = [id_column, *FEATURE_COLUMNS] + ([target] if target else [])
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataValidationError(f"Missing required columns: {missing}")
    if len(df) < min_rows:
        raise DataValidationError(f"Expected at least {min_rows} rows, got {len(df)}")

    df = df.copy()
    for col in NUMERIC_COLUMNS:
        converted = pd.to_numeric(df[col], errors="coerce")
        n_bad = int(converted.isna().sum() - df[col].isna().sum())
        if n_bad and converted.notna().sum() == 0:
            raise DataValidationError(f"Column '{col}' has no numeric values at all")
        if n_bad:
            logger.warning("Column '%s': %d non-numeric values set to missing", col, n_bad)
        df[col] = converted

    if target:
        bad_target = ~df[target].isin([0, 1])
        if bad_target.any():
            logger.warning("Dropping %d rows with an invalid target value", int(bad_target.sum()))
            df = df.loc[~bad_target]
        df[target] = df[target].astype(int)
    return df
