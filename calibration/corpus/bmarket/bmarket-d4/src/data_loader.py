"""
Data loading module.

This module provides functions for loading data from a SQLite database
into a pandas DataFrame.
"""
import sqlite3
from typing import Optional

import pandas as pd


def load_data(db_path: str, table_name: str, query: Optional[str] = None) -> pd.DataFrame:
    """
    Load data from a SQLite database.

    Args:
        db_path (str): Path to the SQLite database file.
        table_name (str): Name of the table to load.
        query (Optional[str]): Optional custom SQL query.

    Returns:
        pd.DataFrame: The loaded data.
    """
    try:
        conn = sqlite3.connect(db_path)
        if query is None:
            query = f"SELECT * FROM {table_name}"
        df = pd.read_sql_query(query, conn)
        conn.close()
        return df
    except Exception as e:
        print(f"Error loading data: {e}")
        return pd.DataFrame()
