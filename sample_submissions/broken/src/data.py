"""Loading data from the SQLite databases."""
import logging
import os
import sqlite3

import pandas as pd

logger = logging.getLogger(__name__)


def load_table(db_path, table="deliveries"):
    """Read a whole table from a SQLite database into a DataFrame."""
    if not os.path.exists(db_path):
        raise FileNotFoundError(f"Database not found: {db_path}")
    conn = sqlite3.connect(db_path)
    try:
        df = pd.read_sql(f"SELECT * FROM {table}", conn)
    finally:
        conn.close()
    logger.info("Loaded %d rows and %d columns from %s", df.shape[0], df.shape[1], db_path)
    return df
