"""Stage 1: read the deliveries table from SQLite and check its schema."""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pandas as pd

from src.errors import DataSourceError, DataValidationError

logger = logging.getLogger(__name__)

# Columns the paper guarantees for both the training and the holdout database.
FEATURE_COLUMNS = [
    "delivery_id", "order_datetime", "region", "distance_km", "parcel_weight",
    "num_items", "vehicle_type", "driver_experience_yrs", "driver_rating",
    "weather", "traffic_index", "customer_tier", "express",
]
TARGET = "late"


def read_table(db_path: str | Path, table: str) -> pd.DataFrame:
    """Return the whole `table` from the SQLite file at `db_path` (relative to the project root)."""
    db_path = Path(db_path)
    if not db_path.is_file():
        # sqlite3.connect would silently create an empty database, so check first
        raise DataSourceError(f"database not found: {db_path}")
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
            df = pd.read_sql_query(f'SELECT * FROM "{table}"', conn)
    except (sqlite3.Error, pd.errors.DatabaseError) as exc:
        raise DataSourceError(f"cannot read table '{table}' from {db_path}: {exc}") from exc
    logger.info("read %d rows x %d columns from %s", len(df), df.shape[1], db_path)
    return df


def validate_schema(df: pd.DataFrame, require_target: bool) -> None:
    """Fail early if the frame is empty or lacks a required column."""
    if df.empty:
        raise DataValidationError("the deliveries table is empty")
    required = FEATURE_COLUMNS + ([TARGET] if require_target else [])
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataValidationError(f"missing required columns: {missing}")


def load_training_data(db_path: str | Path, table: str) -> pd.DataFrame:
    """Read and validate the labelled training table."""
    df = read_table(db_path, table)
    validate_schema(df, require_target=True)
    return df


def load_holdout_data(db_path: str | Path, table: str) -> pd.DataFrame:
    """Read and validate the unlabelled holdout table."""
    df = read_table(db_path, table)
    validate_schema(df, require_target=False)
    return df
