"""Data access layer."""
import sqlite3
from pathlib import Path

import pandas as pd


class DataSourceError(RuntimeError):
    pass


def read_sqlite(path: str, table: str) -> pd.DataFrame:
    if not Path(path).exists():
        raise DataSourceError(f"sqlite file does not exist: {path} (set GAS_DB_PATH?)")
    with sqlite3.connect(path) as con:
        return pd.read_sql(f"SELECT * FROM {table}", con)
