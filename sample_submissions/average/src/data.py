"""Functions for loading the config and the data from SQLite."""
import os
import sqlite3
import sys

import pandas as pd
import yaml


def load_config(path="config.yaml"):
    with open(path, "r") as f:
        config = yaml.safe_load(f)
    return config


def load_data(db_path, table_name="deliveries"):
    """Read the whole table from the SQLite database at db_path into a DataFrame."""
    if not os.path.exists(db_path):
        print(f"ERROR: database file not found: {db_path}")
        print("Please put the database in the data/ folder.")
        sys.exit(1)

    conn = sqlite3.connect(db_path)
    df = pd.read_sql_query(f"SELECT * FROM {table_name}", conn)
    conn.close()
    print(f"Loaded {len(df)} rows from {db_path}")
    return df
