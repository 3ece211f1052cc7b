"""Data ingestion: read a table from SQLite and check its schema."""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pandas as pd

logger = logging.getLogger(__name__)

# Columns the paper promises for the deliveries table (the holdout has no target).
FEATURE_COLUMNS = [
    "delivery_id", "order_datetime", "region", "distance_km", "parcel_weight",
    "num_items", "vehicle_type", "driver_experience_yrs", "driver_rating",
    "weather", "traffic_index", "customer_tier", "express",
]


class DataValidationError(ValueError):
    """Raised when the input data cannot be used for training or inference."""


def load_table(db_path: str | Path, table: str) -> pd.DataFrame:
    """Load one table from a SQLite database given by a relative or absolute path."""
    db_path = Path(db_path)
    if not db_path.is_file():
        # sqlite3.connect would silently create an empty file, so check first
        raise FileNotFoundError(f"database not found: {db_path}")
    with sqlite3.connect(db_path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if table not in tables:
            raise DataValidationError(f"table '{table}' not in {db_path} (found: {sorted(tables)})")
        df = pd.read_sql_query(f'SELECT * FROM "{table}"', conn)
    logger.info("Loaded %d rows x %d columns from %s:%s", len(df), df.shape[1], db_path, table)
    return df


def validate_schema(df: pd.DataFrame, target: str | None = None, min_rows: int = 1) -> None:
    """Check that the frame is non-empty and has every expected column.

    `target` is checked only for the training table; the holdout has no label.
    """
    if len(df) < min_rows:
        raise DataValidationError(f"expected at least {min_rows} rows, got {len(df)}")
    expected = FEATURE_COLUMNS + ([target] if target else [])
    missing = [c for c in expected if c not in df.columns]
    if missing:
        raise DataValidationError(f"missing column(s): {', '.join(missing)}")
    if target is not None:
        labels = set(pd.to_numeric(df[target], errors="coerce").dropna().unique())
        if not labels <= {0, 1} or len(labels) < 2:
            raise DataValidationError(f"target '{target}' must contain both 0 and 1, got {sorted(labels)}")
