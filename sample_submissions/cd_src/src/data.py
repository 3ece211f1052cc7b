"""Reading the deliveries tables from the SQLite databases."""
import sqlite3

import pandas as pd

TABLE = "deliveries"


def read_deliveries(db_file, table=TABLE):
    """Return the full `table` of the SQLite file `db_file` as a DataFrame."""
    connection = sqlite3.connect(db_file)
    try:
        frame = pd.read_sql(f"SELECT * FROM {table}", connection)
    except pd.errors.DatabaseError as err:
        # usually means the table name is wrong
        raise RuntimeError(f"could not read table '{table}' from {db_file}: {err}") from err
    finally:
        connection.close()

    if frame.empty:
        raise ValueError(f"table '{table}' in {db_file} has no rows")
    print(f"[data] {db_file}: {frame.shape[0]} rows, {frame.shape[1]} columns")
    return frame


def remove_duplicates(frame):
    """Drop rows that are exact copies of an earlier row (about 1% of the training data)."""
    before = len(frame)
    frame = frame.drop_duplicates().reset_index(drop=True)
    print(f"[data] removed {before - len(frame)} duplicate rows")
    return frame
