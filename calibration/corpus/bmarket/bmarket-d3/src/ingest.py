"""Data ingestion from SQLite."""
import logging
import sqlite3
from pathlib import Path

import pandas as pd

logger = logging.getLogger(__name__)


def read_sqlite_table(db_path: str, table: str) -> pd.DataFrame:
    """Read a full table from a SQLite database file.

    Raises FileNotFoundError if the file is missing (sqlite3 would otherwise silently
    create an empty database) and ValueError if the table does not exist.
    """
    path = Path(db_path)
    if not path.is_file():
        raise FileNotFoundError(f"Database file not found: {path}")
    # open read-only so a wrong path can never create a file
    uri = f"file:{path.as_posix()}?mode=ro"
    with sqlite3.connect(uri, uri=True) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if table not in tables:
            raise ValueError(f"Table '{table}' not found in {path}; available: {sorted(tables)}")
        df = pd.read_sql_query(f'SELECT * FROM "{table}"', conn)
    logger.info("Ingested %d rows, %d columns from %s:%s", len(df), df.shape[1], path, table)
    return df
