"""
data_loader.py
Functions to read the gas monitoring tables from SQLite.
"""
import os
import sqlite3

import pandas as pd


def load_table(db_path, table_name="gas_monitoring"):
    """Read a whole table from a SQLite database into a DataFrame.

    Raises FileNotFoundError if the database file does not exist and
    ValueError if the table is empty.
    """
    if not os.path.exists(db_path):
        raise FileNotFoundError(f"Database not found: {db_path}")

    conn = sqlite3.connect(db_path)
    try:
        df = pd.read_sql_query(f'SELECT * FROM "{table_name}"', conn)
    finally:
        conn.close()

    if df.empty:
        raise ValueError(f"Table {table_name} in {db_path} has no rows")
    print(f"Loaded {len(df)} rows from {db_path}")
    return df
