"""Reading the SQLite sources and writing pipeline artefacts."""
from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd

logger = logging.getLogger(__name__)


class DataSourceError(RuntimeError):
    """Raised when a database or table cannot be read."""


def read_table(db_path: str | Path, table: str) -> pd.DataFrame:
    """Load a full table from a SQLite file, refusing to create a new empty database."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise DataSourceError(f"Database not found: {db_path}")
    uri = f"file:{db_path.as_posix()}?mode=ro"
    try:
        with sqlite3.connect(uri, uri=True) as conn:
            frame = pd.read_sql_query(f'SELECT * FROM "{table}"', conn)
    except (sqlite3.Error, pd.errors.DatabaseError) as exc:
        raise DataSourceError(f"Could not read table '{table}' from {db_path}: {exc}") from exc
    logger.info("Read %d rows x %d columns from %s", len(frame), frame.shape[1], db_path)
    return frame


def write_json(payload: dict[str, Any], path: Path) -> None:
    """Write a JSON artefact, creating the parent folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, default=str))
    logger.info("Wrote %s", path)
