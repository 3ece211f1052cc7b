"""
load.py
Reads the sensor table from the SQLite database.
"""
import sqlite3
import pandas as pd


def read_sensor_table(path, table_name="gas_monitoring"):
    """Return the full table as a DataFrame."""
    con = sqlite3.connect(path)
    df = pd.read_sql(f"SELECT * FROM {table_name}", con)
    con.close()
    return df
