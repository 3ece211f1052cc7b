"""Read the gas monitoring table from SQLite."""
import os
import sqlite3

import pandas as pd

TABLE = "gas_monitoring"
TARGET = "Activity Level"
ID_COL = "Record ID"

REQUIRED = [
    "Time of Day", "Temperature", "Humidity", "CO2_InfraredSensor", "CO2_ElectroChemicalSensor",
    "MetalOxideSensor_Unit1", "MetalOxideSensor_Unit2", "MetalOxideSensor_Unit3", "MetalOxideSensor_Unit4",
    "CO_GasSensor", "HVAC Operation Mode", "Ambient Light Level", ID_COL,
]


def load(db_path, table=TABLE, need_target=True):
    """Load a table and check it is usable. Raises on missing file, empty table or missing columns."""
    if not os.path.exists(db_path):
        raise FileNotFoundError(f"Database not found: {db_path}")
    con = sqlite3.connect(db_path)
    try:
        df = pd.read_sql_query(f'SELECT * FROM "{table}"', con)
    finally:
        con.close()
    if df.empty:
        raise ValueError(f"Table {table} in {db_path} is empty")
    cols = REQUIRED + ([TARGET] if need_target else [])
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"Missing columns in {db_path}: {missing}")
    return df
