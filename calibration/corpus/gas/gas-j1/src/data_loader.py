"""Read the SQLite tables and check that they have the expected schema."""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pandas as pd

logger = logging.getLogger(__name__)

# Columns every input table must have (the holdout table has everything but the target).
FEATURE_COLUMNS = [
    "Time of Day", "Temperature", "Humidity", "CO2_InfraredSensor", "CO2_ElectroChemicalSensor",
    "MetalOxideSensor_Unit1", "MetalOxideSensor_Unit2", "MetalOxideSensor_Unit3",
    "MetalOxideSensor_Unit4", "CO_GasSensor", "Session ID", "HVAC Operation Mode",
    "Ambient Light Level", "Record ID",
]


class DataValidationError(ValueError):
    """Raised when an input table is missing, empty or lacks required columns."""


def read_table(db_path: str | Path, table: str) -> pd.DataFrame:
    """Return the whole `table` from the SQLite file at `db_path`.

    The file is opened read-only so that a wrong path raises instead of silently creating
    an empty database.
    """
    db_path = Path(db_path)
    if not db_path.is_file():
        raise DataValidationError(f"database not found: {db_path}")
    uri = f"file:{db_path.as_posix()}?mode=ro"
    try:
        with sqlite3.connect(uri, uri=True) as conn:
            frame = pd.read_sql_query(f'SELECT * FROM "{table}"', conn)
    except sqlite3.DatabaseError as exc:
        raise DataValidationError(f"cannot read table '{table}' from {db_path}: {exc}") from exc
    logger.info("read %d rows x %d columns from %s", len(frame), frame.shape[1], db_path)
    return frame


def validate_frame(frame: pd.DataFrame, required: list[str], name: str, min_rows: int = 1) -> None:
    """Fail fast if `frame` is too small or a required column is absent."""
    if len(frame) < min_rows:
        raise DataValidationError(f"{name}: expected at least {min_rows} rows, got {len(frame)}")
    missing = [col for col in required if col not in frame.columns]
    if missing:
        raise DataValidationError(f"{name}: missing column(s) {missing}")


def load_training_data(config: dict) -> pd.DataFrame:
    """Load the labelled table and validate it (at least 100 rows, all columns + target)."""
    data_cfg = config["data"]
    frame = read_table(data_cfg["train_db"], data_cfg["table"])
    validate_frame(frame, FEATURE_COLUMNS + [data_cfg["target"]], "training data", min_rows=100)
    return frame


def load_holdout_data(config: dict) -> pd.DataFrame:
    """Load the unlabelled table to score and validate its columns."""
    data_cfg = config["data"]
    frame = read_table(data_cfg["holdout_db"], data_cfg["table"])
    validate_frame(frame, FEATURE_COLUMNS, "holdout data")
    return frame
