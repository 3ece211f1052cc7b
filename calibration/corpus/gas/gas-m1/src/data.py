"""Ingestion and validation: read a table from SQLite and check it is usable."""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pandas as pd

log = logging.getLogger(__name__)

NUMERIC_COLUMNS = [
    "Temperature",
    "Humidity",
    "CO2_InfraredSensor",
    "CO2_ElectroChemicalSensor",
    "MetalOxideSensor_Unit1",
    "MetalOxideSensor_Unit2",
    "MetalOxideSensor_Unit3",
    "MetalOxideSensor_Unit4",
]
CATEGORICAL_COLUMNS = ["Time of Day", "CO_GasSensor", "HVAC Operation Mode", "Ambient Light Level"]


class DataValidationError(Exception):
    """Raised when the input data cannot be used (missing file, table, columns or rows)."""


def read_table(db_path: str | Path, table: str) -> pd.DataFrame:
    """Return the whole `table` from the SQLite file at `db_path`."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise DataValidationError(f"database not found: {db_path} (expected under data/)")
    with sqlite3.connect(db_path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if table not in tables:
            raise DataValidationError(f"table '{table}' not in {db_path}; found {sorted(tables)}")
        frame = pd.read_sql_query(f'SELECT * FROM "{table}"', conn)
    log.info("read %d rows x %d columns from %s", len(frame), frame.shape[1], db_path)
    return frame


def validate(frame: pd.DataFrame, required: list[str], min_rows: int, name: str) -> pd.DataFrame:
    """Check columns and row count, and coerce the sensor columns to numbers.

    Text inside a numeric column (e.g. "n/a" typed by an operator) becomes NaN and is
    imputed later; a warning says how many cells were affected. A column that is
    entirely non-numeric is rejected, because imputing it would silently invent data.
    """
    missing = [col for col in required if col not in frame.columns]
    if missing:
        raise DataValidationError(f"{name}: missing column(s) {missing}")
    if len(frame) < min_rows:
        raise DataValidationError(f"{name}: {len(frame)} rows, at least {min_rows} needed")

    frame = frame.copy()
    for col in NUMERIC_COLUMNS:
        before = frame[col].notna().sum()
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
        lost = before - frame[col].notna().sum()
        if before > 0 and frame[col].notna().sum() == 0:
            raise DataValidationError(f"{name}: column '{col}' has no numeric values")
        if lost:
            log.warning("%s: %d non-numeric value(s) in '%s' set to missing", name, lost, col)
    return frame
