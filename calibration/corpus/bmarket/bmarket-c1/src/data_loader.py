"""Read the bank-marketing table from SQLite and validate its schema before anything else runs."""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pandas as pd

logger = logging.getLogger(__name__)

FEATURE_COLUMNS: tuple[str, ...] = (
    "Age",
    "Occupation",
    "Marital Status",
    "Education Level",
    "Credit Default",
    "Housing Loan",
    "Personal Loan",
    "Contact Method",
    "Campaign Calls",
    "Previous Contact Days",
)
# Training needs at least this many rows per class for 5-fold stratified CV to mean anything.
MIN_ROWS_PER_CLASS = 50


class DataValidationError(ValueError):
    """Raised when the input data cannot be used (missing, empty, wrong schema)."""


def read_table(db_path: str | Path, table: str) -> pd.DataFrame:
    """Return the whole `table` from the SQLite database at `db_path`.

    The path is relative to the submission root (the paper's data contract), so run.sh
    changes into the root before calling the pipeline.
    """
    db_path = Path(db_path)
    if not db_path.is_file():
        raise DataValidationError(f"Database not found: {db_path} (expected relative to the project root)")

    # `with sqlite3.connect` only commits; close explicitly so the file handle is released.
    connection = sqlite3.connect(db_path)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if table not in tables:
            raise DataValidationError(f"Table '{table}' not found in {db_path}; found: {sorted(tables)}")
        frame = pd.read_sql_query(f'SELECT * FROM "{table}"', connection)
    except sqlite3.DatabaseError as exc:
        raise DataValidationError(f"Could not read {db_path}: {exc}") from exc
    finally:
        connection.close()

    logger.info("Read %d rows x %d columns from %s", len(frame), frame.shape[1], db_path)
    return frame


def validate_frame(frame: pd.DataFrame, id_column: str, target_column: str | None) -> None:
    """Check the schema and size of a raw frame.

    `target_column=None` validates inference data, which has no label.
    """
    if frame.empty:
        raise DataValidationError("The table is empty: nothing to train on or predict.")

    expected = [id_column, *FEATURE_COLUMNS] + ([target_column] if target_column else [])
    missing = [column for column in expected if column not in frame.columns]
    if missing:
        raise DataValidationError(f"Missing column(s): {missing}")

    if frame[id_column].isna().any():
        raise DataValidationError(f"'{id_column}' has empty values; every row needs an id.")
    duplicated_ids = int(frame[id_column].duplicated().sum())
    if duplicated_ids:
        logger.warning("%d duplicated '%s' values found", duplicated_ids, id_column)

    if target_column is None:
        return

    labels = frame[target_column].astype("string").str.strip().str.lower()
    unexpected = sorted(set(labels.dropna()) - {"yes", "no"})
    if unexpected:
        raise DataValidationError(f"Unexpected target labels in '{target_column}': {unexpected}")
    counts = labels.value_counts()
    for label in ("yes", "no"):
        if counts.get(label, 0) < MIN_ROWS_PER_CLASS:
            raise DataValidationError(
                f"Only {counts.get(label, 0)} rows with {target_column}='{label}'; "
                f"need at least {MIN_ROWS_PER_CLASS} for stratified CV."
            )
    logger.info("Target balance: %s", counts.to_dict())
