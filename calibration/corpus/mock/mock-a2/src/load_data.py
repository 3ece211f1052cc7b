import sqlite3
import pandas as pd


def load_data(db_path, table="deliveries"):
    """Load the deliveries table from the sqlite database"""
    conn = sqlite3.connect(db_path)
    df = pd.read_sql_query(f"SELECT * FROM {table}", conn)
    conn.close()
    print(f"Loaded {df.shape[0]} rows and {df.shape[1]} columns from {db_path}")
    return df
