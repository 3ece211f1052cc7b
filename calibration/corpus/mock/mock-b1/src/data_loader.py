"""Reading the deliveries table from SQLite."""
import logging
import sqlite3
from pathlib import Path

import pandas as pd

log = logging.getLogger(__name__)

REQUIRED_COLUMNS = [
    "delivery_id", "order_datetime", "region", "distance_km", "parcel_weight",
    "num_items", "vehicle_type", "driver_experience_yrs", "driver_rating",
    "weather", "traffic_index", "customer_tier", "express",
]


def load_deliveries(db_path: str, table: str = "deliveries", require_target: bool = True) -> pd.DataFrame:
    """Load the `deliveries` table and check that the expected columns are there.

    Raises FileNotFoundError if the database is missing and ValueError if the
    table is empty or columns are missing, so the pipeline stops early with a
    clear message instead of failing somewhere inside scikit-learn.
    """
    path = Path(db_path)
    if not path.is_file():
        raise FileNotFoundError(f"database not found: {path}")

    with sqlite3.connect(path) as conn:
        try:
            df = pd.read_sql_query(f"SELECT * FROM {table}", conn)
        except (sqlite3.DatabaseError, pd.errors.DatabaseError) as exc:
            raise ValueError(f"could not read table '{table}' from {path}: {exc}") from exc

    if df.empty:
        raise ValueError(f"table '{table}' in {path} has no rows")

    expected = REQUIRED_COLUMNS + (["late"] if require_target else [])
    missing = [c for c in expected if c not in df.columns]
    if missing:
        raise ValueError(f"missing columns in {path}: {missing}")

    log.info("loaded %d rows x %d columns from %s", len(df), df.shape[1], path)
    return df
