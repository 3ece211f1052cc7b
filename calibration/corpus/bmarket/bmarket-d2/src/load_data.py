"""Functions to read the bank marketing data from SQLite."""
import sqlite3
import os
import pandas as pd


def read_table(db_path, table="bank_marketing"):
    """Return the whole table as a pandas DataFrame."""
    if not os.path.exists(db_path):
        raise FileNotFoundError("Cannot find database at " + db_path)
    conn = sqlite3.connect(db_path)
    df = pd.read_sql_query("SELECT * FROM " + table, conn)
    conn.close()
    print("Read", df.shape[0], "rows and", df.shape[1], "columns from", db_path)
    return df
