"""Read the farm sensor data from SQLite."""
import os
import sqlite3

import pandas as pd


def read_table(db_path, table):
    """Return the whole table as a DataFrame."""
    if not os.path.isfile(db_path):
        raise FileNotFoundError(f"Could not find {db_path}. Place farm_data.db in the data/ folder.")
    with sqlite3.connect(db_path) as conn:
        df = pd.read_sql_query(f'SELECT * FROM "{table}"', conn)
    if len(df) == 0:
        raise ValueError(f"Table {table} is empty")
    print(f"Read {len(df)} rows from {db_path}")
    return df
