"""
data_ingestion.py
Functions for reading the gas monitoring data from the SQLite database.
"""
import os
import sqlite3
import pandas as pd


def load_data(db_path, table_name):
    """
    Load a table from a SQLite database into a pandas DataFrame.

    Args:
        db_path (str): path to the .db file
        table_name (str): name of the table to read

    Returns:
        pd.DataFrame: the table contents
    """
    if not os.path.exists(db_path):
        raise FileNotFoundError(f"Database file not found at {db_path}. Please put it in the data/ folder.")

    conn = sqlite3.connect(db_path)
    try:
        df = pd.read_sql_query(f"SELECT * FROM {table_name}", conn)
    finally:
        conn.close()

    if df.empty:
        raise ValueError(f"Table {table_name} in {db_path} is empty.")

    print(f"Loaded {df.shape[0]} rows and {df.shape[1]} columns from {db_path}")
    return df
