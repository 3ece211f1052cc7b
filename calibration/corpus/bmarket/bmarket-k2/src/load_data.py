"""Functions for reading the bank marketing tables from SQLite."""
import sqlite3
import sys

import pandas as pd


def load_table(db_path, table_name="bank_marketing"):
    """Load a table from the sqlite db and return it as a dataframe."""
    try:
        conn = sqlite3.connect(db_path)
        df = pd.read_sql_query(f"SELECT * FROM {table_name}", conn)
        conn.close()
    except Exception as e:
        print(f"Error loading data from {db_path}: {e}")
        sys.exit(1)

    if df.empty:
        raise ValueError(f"Table {table_name} in {db_path} has no rows")
    print(f"Loaded {len(df)} rows from {db_path}")
    return df
