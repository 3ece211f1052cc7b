"""Reading the deliveries table from a SQLite database."""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pandas as pd

logger = logging.getLogger(__name__)

FEATURE_COLUMNS = [
    "delivery_id", "order_datetime", "region", "distance_km", "parcel_weight", "num_items",
    "vehicle_type", "driver_experience_yrs", "driver_rating", "weather", "traffic_index",
    "customer_tier", "express",
]


class DataValidationError(Exception):
    """Raised when a database or table does not have the expected content."""


def load_table(db_path: str | Path, table: str, require_target: str | None = None) -> pd.DataFrame:
    """Load ``table`` from the SQLite file ``db_path`` and check its columns.

    Args:
        db_path: path of the ``.db`` file (relative to the working directory).
        table: name of the table to read.
        require_target: name of the target column if it must be present (training data).

    Raises:
        FileNotFoundError: if the database file does not exist.
        DataValidationError: if the table is missing, empty or lacks expected columns.
    """
    db_path = Path(db_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"Database not found: {db_path}")

    # read-only URI so that a typo in the path cannot create an empty database
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        try:
            df = pd.read_sql_query(f'SELECT * FROM "{table}"', conn)
        except pd.errors.DatabaseError as exc:
            raise DataValidationError(f"Cannot read table '{table}' from {db_path}: {exc}") from exc

    if df.empty:
        raise DataValidationError(f"Table '{table}' in {db_path} is empty")
    expected = FEATURE_COLUMNS + ([require_target] if require_target else [])
    missing = [col for col in expected if col not in df.columns]
    if missing:
        raise DataValidationError(f"Table '{table}' in {db_path} is missing columns: {missing}")

    logger.info("Loaded %d rows x %d columns from %s", len(df), df.shape[1], db_path)
    return df
