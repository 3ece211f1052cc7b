"""Read the deliveries tables from SQLite and check that they are usable.

Only the standard-library ``sqlite3`` driver is used.  Every check raises a
``DataValidationError`` with a message an operator can act on, instead of
letting a ``KeyError`` surface three modules later.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

import pandas as pd

logger = logging.getLogger(__name__)

#: Feature columns that both the training and the hold-out table must contain.
FEATURE_COLUMNS: tuple[str, ...] = (
    "delivery_id",
    "order_datetime",
    "region",
    "distance_km",
    "parcel_weight",
    "num_items",
    "vehicle_type",
    "driver_experience_yrs",
    "driver_rating",
    "weather",
    "traffic_index",
    "customer_tier",
    "express",
)


class DataValidationError(ValueError):
    """Raised when a table is empty or does not have the expected schema."""


def _table_exists(connection: sqlite3.Connection, table: str) -> bool:
    """Return True if ``table`` exists in the database behind ``connection``."""
    query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    return connection.execute(query, (table,)).fetchone() is not None


def read_table(db_path: str | Path, table: str) -> pd.DataFrame:
    """Read a whole SQLite table into a DataFrame.

    Args:
        db_path: relative or absolute path of the SQLite file.
        table: name of the table to read.

    Raises:
        FileNotFoundError: if the database file does not exist.
        DataValidationError: if the table does not exist or has no rows.
        sqlite3.DatabaseError: if the file is not a valid SQLite database.
    """
    db_path = Path(db_path)
    if not db_path.is_file():
        raise FileNotFoundError(
            f"database not found: {db_path} (place it there or change the path in config.yaml)"
        )

    # Open read-only through a URI so that a typo never creates an empty database;
    # closing() makes sure the connection is released even if the query fails.
    uri = f"file:{db_path.as_posix()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as connection:
        if not _table_exists(connection, table):
            raise DataValidationError(f"table '{table}' not found in {db_path}")
        # The table name cannot be a bound parameter; it was checked to exist above.
        frame = pd.read_sql_query(f'SELECT * FROM "{table}"', connection)

    if frame.empty:
        raise DataValidationError(f"table '{table}' in {db_path} has no rows")
    logger.info("Read %d rows x %d columns from %s:%s", *frame.shape, db_path, table)
    return frame


def validate_columns(frame: pd.DataFrame, required: Iterable[str], source: str) -> None:
    """Raise DataValidationError listing every required column missing from ``frame``."""
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise DataValidationError(f"{source} is missing required column(s): {', '.join(missing)}")


def load_training_data(db_path: str | Path, table: str, target: str) -> pd.DataFrame:
    """Load the labelled training table and check its schema and target values.

    Rows whose target is missing or not 0/1 are dropped with a warning, since
    they cannot be used for supervised learning.
    """
    frame = read_table(db_path, table)
    validate_columns(frame, (*FEATURE_COLUMNS, target), f"{db_path}:{table}")

    frame[target] = pd.to_numeric(frame[target], errors="coerce")
    valid_target = frame[target].isin([0, 1])
    if not valid_target.all():
        logger.warning("Dropping %d rows with a missing or invalid target", (~valid_target).sum())
        frame = frame.loc[valid_target].copy()
    if frame[target].nunique() < 2:
        raise DataValidationError(
            f"target '{target}' has a single class; cannot train a classifier"
        )
    frame[target] = frame[target].astype(int)
    return frame


def load_holdout_data(db_path: str | Path, table: str) -> pd.DataFrame:
    """Load the unlabelled table to be scored and check that it has every feature."""
    frame = read_table(db_path, table)
    validate_columns(frame, FEATURE_COLUMNS, f"{db_path}:{table}")
    return frame
