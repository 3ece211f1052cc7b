"""Reading the deliveries table from sqlite."""
import sqlite3
import sys

import pandas as pd


def load_table(db_path, table="deliveries"):
    """Load a whole table from the sqlite file into a DataFrame."""
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        df = pd.read_sql(f"SELECT * FROM {table}", conn)
        conn.close()
    except Exception as e:
        print(f"[ERROR] could not read table '{table}' from {db_path}: {e}")
        sys.exit(1)
    print(f"[ingest] {db_path}: {df.shape[0]} rows, {df.shape[1]} columns")
    return df
