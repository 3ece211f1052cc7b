"""Loading data from the sqlite database."""
import os
import sqlite3

import pandas as pd

TABLE_NAME = "bank_marketing"


def load_data(db_path: str, table: str = TABLE_NAME) -> pd.DataFrame:
    """Read the whole table from a sqlite db into a DataFrame."""
    if not os.path.exists(db_path):
        raise FileNotFoundError(f"Database file not found: {db_path}")

    conn = sqlite3.connect(db_path)
    try:
        df = pd.read_sql_query(f'SELECT * FROM "{table}"', conn)
    finally:
        conn.close()

    if df.empty:
        raise ValueError(f"Table {table} in {db_path} has no rows")
    return df
