"""Data access layer."""
from __future__ import annotations

import logging
import sqlite3
from abc import ABC, abstractmethod
from pathlib import Path

import pandas as pd

from .exceptions import DataSourceError, EmptyDatasetError

log = logging.getLogger(__name__)


class DataSource(ABC):
    """Abstract tabular data source."""

    @abstractmethod
    def read(self) -> pd.DataFrame:
        """Return the full dataset as a DataFrame."""


class SQLiteDataSource(DataSource):
    """Reads a single table from a SQLite file."""

    def __init__(self, path: str | Path, table: str) -> None:
        self._path = Path(path)
        self._table = table

    def read(self) -> pd.DataFrame:
        if not self._path.is_file():
            raise DataSourceError("database file does not exist", context={"path": str(self._path)})
        try:
            conn = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise DataSourceError("cannot open database", context={"path": str(self._path)}) from exc
        try:
            frame = pd.read_sql_query(f'SELECT * FROM "{self._table}"', conn)
        except (sqlite3.Error, pd.errors.DatabaseError) as exc:
            raise DataSourceError("query failed", context={"table": self._table, "error": str(exc)}) from exc
        finally:
            conn.close()
        if frame.empty:
            raise EmptyDatasetError("table has no rows", context={"table": self._table})
        log.info("loaded %s rows from %s:%s", len(frame), self._path, self._table)
        return frame


class DataSourceFactory:
    """Creates a DataSource from a path, based on its suffix."""

    _registry: dict[str, type[DataSource]] = {".db": SQLiteDataSource, ".sqlite": SQLiteDataSource}

    @classmethod
    def create(cls, path: str | Path, table: str) -> DataSource:
        suffix = Path(path).suffix.lower()
        if suffix not in cls._registry:
            raise DataSourceError("unsupported data source type", context={"suffix": suffix})
        return cls._registry[suffix](path, table)
