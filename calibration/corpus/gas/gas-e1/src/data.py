"""Ingestion: read the SQLite tables and check their schema before anything else runs."""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pandas as pd

log = logging.getLogger(__name__)

TARGET = "Activity Level"
ID_COL = "Record ID"
GROUP_COL = "Session ID"

NUMERIC_COLS = [
    "Temperature",
    "Humidity",
    "CO2_InfraredSensor",
    "CO2_ElectroChemicalSensor",
    "MetalOxideSensor_Unit1",
    "MetalOxideSensor_Unit2",
    "MetalOxideSensor_Unit3",
    "MetalOxideSensor_Unit4",
]
TEXT_COLS = ["Time of Day", "CO_GasSensor", "HVAC Operation Mode", "Ambient Light Level"]
FEATURE_SOURCE_COLS = NUMERIC_COLS + TEXT_COLS + [GROUP_COL, ID_COL]

MIN_TRAIN_ROWS = 200  # below this a 5-fold grouped CV is meaningless


class DataValidationError(ValueError):
    """Raised when an input table cannot be used (missing file, columns, rows)."""


def read_table(db_path: str | Path, table: str) -> pd.DataFrame:
    """Read one table from a SQLite file. Fails with a clear message if the file or table is absent."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise DataValidationError(f"database not found: {db_path}")
    try:
        with sqlite3.connect(db_path) as conn:
            df = pd.read_sql_query(f'SELECT * FROM "{table}"', conn)
    except (sqlite3.DatabaseError, pd.errors.DatabaseError) as exc:
        raise DataValidationError(f"cannot read table '{table}' from {db_path}: {exc}") from exc
    log.info("read %d rows x %d columns from %s", len(df), df.shape[1], db_path)
    return df


def validate_schema(df: pd.DataFrame, require_target: bool, name: str) -> pd.DataFrame:
    """Check required columns and coerce numeric columns.

    Text that slipped into a numeric column becomes NaN (and is imputed later) instead of
    crashing the run; a column that is entirely non-numeric is an error.
    """
    required = FEATURE_SOURCE_COLS + ([TARGET] if require_target else [])
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataValidationError(f"{name}: missing columns {missing}")
    if df.empty:
        raise DataValidationError(f"{name}: table is empty")

    df = df.copy()
    for col in NUMERIC_COLS:
        raw_non_null = df[col].notna().sum()
        df[col] = pd.to_numeric(df[col], errors="coerce")
        lost = raw_non_null - df[col].notna().sum()
        if raw_non_null > 0 and df[col].notna().sum() == 0:
            raise DataValidationError(f"{name}: column '{col}' has no numeric values")
        if lost:
            log.warning("%s: %d non-numeric values in '%s' set to NaN", name, lost, col)
    for col in TEXT_COLS:
        df[col] = df[col].astype("string")
    return df


def load_training_data(db_path: str | Path, table: str) -> pd.DataFrame:
    """Read and validate the labelled table."""
    df = validate_schema(read_table(db_path, table), require_target=True, name="training data")
    if len(df) < MIN_TRAIN_ROWS:
        raise DataValidationError(
            f"training data has only {len(df)} rows; need at least {MIN_TRAIN_ROWS}"
        )
    return df


def load_holdout(db_path: str | Path, table: str) -> pd.DataFrame:
    """Read and validate the unlabelled rows to predict."""
    return validate_schema(read_table(db_path, table), require_target=False, name="holdout")
