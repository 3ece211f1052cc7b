"""Loading data from the SQLite database."""
import os
import sqlite3

import pandas as pd


def load_table(db_path, table):
    """Read a whole table from a SQLite file into a DataFrame."""
    if not os.path.exists(db_path):
        raise FileNotFoundError(f"Database not found: {db_path}")

    conn = sqlite3.connect(db_path)
    try:
        df = pd.read_sql_query(f"SELECT * FROM {table}", conn)
    finally:
        conn.close()

    if df.empty:
        raise ValueError(f"Table '{table}' in {db_path} has no rows")
    return df
