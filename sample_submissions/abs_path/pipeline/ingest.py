"""Reading the SQLite tables."""
from __future__ import annotations

import logging
import sqlite3
from contextlib import closing

import pandas as pd

log = logging.getLogger(__name__)

EXPECTED_COLUMNS = [
    "delivery_id", "order_datetime", "region", "distance_km", "parcel_weight", "num_items",
    "vehicle_type", "driver_experience_yrs", "driver_rating", "weather", "traffic_index",
    "customer_tier", "express",
]


def load_table(db_path: str, table: str) -> pd.DataFrame:
    """Return every row of ``table`` in the SQLite database ``db_path``."""
    with closing(sqlite3.connect(db_path)) as conn:
        frame = pd.read_sql(f'SELECT * FROM "{table}"', conn)
    log.info("loaded %d rows x %d columns from %s", len(frame), frame.shape[1], db_path)
    validate(frame, db_path)
    return frame


def validate(frame: pd.DataFrame, source: str) -> None:
    """Fail early, with a readable message, on an empty table or missing columns."""
    if frame.empty:
        raise ValueError(f"{source}: the table is empty, nothing to train or predict on")
    missing = sorted(set(EXPECTED_COLUMNS) - set(frame.columns))
    if missing:
        raise ValueError(f"{source}: missing columns {missing}")


def drop_exact_duplicates(frame: pd.DataFrame) -> pd.DataFrame:
    """Remove rows that repeat another row in every column (training data only)."""
    deduplicated = frame.drop_duplicates(ignore_index=True)
    log.info("dropped %d exact duplicate rows", len(frame) - len(deduplicated))
    return deduplicated
