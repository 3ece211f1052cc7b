"""Read the gas monitoring table from a SQLite file."""
import logging
import sqlite3
from pathlib import Path

import pandas as pd

logger = logging.getLogger(__name__)

# Columns every input file must have (the target is only required for training data).
REQUIRED_COLUMNS = [
    "Session ID", "Time of Day", "Temperature", "Humidity",
    "CO2_InfraredSensor", "CO2_ElectroChemicalSensor",
    "MetalOxideSensor_Unit1", "MetalOxideSensor_Unit2",
    "MetalOxideSensor_Unit3", "MetalOxideSensor_Unit4",
    "CO_GasSensor", "Ambient Light Level", "HVAC Operation Mode",
]


class DataValidationError(Exception):
    """Raised when the input data cannot be used by the pipeline."""


def load_table(db_path, table, required_extra=()):
    """Load `table` from the SQLite file at `db_path` and check its columns."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise FileNotFoundError(f"Database not found: {db_path}")

    # sqlite3.connect would silently create an empty file, so we checked existence above
    with sqlite3.connect(db_path) as conn:
        tables = pd.read_sql("SELECT name FROM sqlite_master WHERE type='table'", conn)["name"].tolist()
        if table not in tables:
            raise DataValidationError(f"Table '{table}' not found in {db_path} (found: {tables})")
        df = pd.read_sql(f'SELECT * FROM "{table}"', conn)

    if df.empty:
        raise DataValidationError(f"Table '{table}' in {db_path} has no rows")

    missing = [c for c in REQUIRED_COLUMNS + list(required_extra) if c not in df.columns]
    if missing:
        raise DataValidationError(f"{db_path} is missing columns: {missing}")

    logger.info("Loaded %d rows x %d columns from %s", len(df), df.shape[1], db_path)
    return df
