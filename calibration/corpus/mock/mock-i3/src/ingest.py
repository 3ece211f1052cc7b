"""Reading the deliveries table from SQLite."""
import os
import sqlite3

import pandas as pd

REQUIRED_COLUMNS = [
    "delivery_id", "order_datetime", "region", "distance_km", "parcel_weight", "num_items",
    "vehicle_type", "driver_experience_yrs", "driver_rating", "weather", "traffic_index",
    "customer_tier", "express",
]


def read_table(db_path: str, table: str, need_target: bool = True) -> pd.DataFrame:
    """Load `table` from `db_path` and check that it has the expected columns and at least one row."""
    if not os.path.exists(db_path):
        raise FileNotFoundError(f"Database not found at '{db_path}'. Put the file in the data/ folder.")

    with sqlite3.connect(db_path) as conn:
        try:
            df = pd.read_sql_query(f"SELECT * FROM {table}", conn)
        except pd.errors.DatabaseError as e:
            raise ValueError(f"Could not read table '{table}' from {db_path}: {e}") from e

    if df.empty:
        raise ValueError(f"Table '{table}' in {db_path} has no rows.")

    expected = REQUIRED_COLUMNS + (["late"] if need_target else [])
    missing = [c for c in expected if c not in df.columns]
    if missing:
        raise ValueError(f"Table '{table}' is missing columns: {missing}")

    print(f"[ingest] {db_path}: {len(df)} rows")
    return df
