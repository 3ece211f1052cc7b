"""Ingestion and schema validation of the deliveries table."""
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
TARGET = "late"


class DataValidationError(Exception):
    """Raised when the input data cannot be used by the pipeline."""


def read_deliveries(db_path: str, with_target: bool = True) -> pd.DataFrame:
    """Read the ``deliveries`` table and validate its schema.

    The path is interpreted relative to the working directory, as in the
    task specification (``data/deliveries.db``).
    """
    path = Path(db_path)
    if not path.exists():
        raise DataValidationError(f"Database not found at '{path}' (cwd-relative).")
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "deliveries" not in tables:
            raise DataValidationError(f"No 'deliveries' table in {path}; found {sorted(tables)}")
        df = pd.read_sql_query("SELECT * FROM deliveries", conn)

    required = FEATURE_COLUMNS + ([TARGET] if with_target else [])
    missing = sorted(set(required) - set(df.columns))
    if missing:
        raise DataValidationError(f"{path}: missing columns {missing}")
    if df.empty:
        raise DataValidationError(f"{path}: table 'deliveries' is empty")
    if with_target:
        bad = ~df[TARGET].isin([0, 1])
        if bad.any():
            logger.warning("Dropping %d rows whose target is not 0/1", int(bad.sum()))
            df = df.loc[~bad]
        if df[TARGET].nunique() < 2:
            raise DataValidationError("Target has a single class; cannot train a classifier.")
    logger.info("Read %d rows from %s", len(df), path)
    return df
