"""Data loading and cleaning for the gas sensor dataset."""
import os
import sqlite3

import numpy as np
import pandas as pd

NUM_COLS = [
    "Temperature", "Humidity", "CO2_InfraredSensor", "CO2_ElectroChemicalSensor",
    "MetalOxideSensor_Unit1", "MetalOxideSensor_Unit2", "MetalOxideSensor_Unit3",
    "MetalOxideSensor_Unit4",
]
MOX_COLS = ["MetalOxideSensor_Unit1", "MetalOxideSensor_Unit2",
            "MetalOxideSensor_Unit3", "MetalOxideSensor_Unit4"]

# ordinal levels (order taken from sensor documentation / common sense)
CO_LEVELS = {"extremely low": 0, "low": 1, "medium": 2, "high": 3, "extremely high": 4}
LIGHT_LEVELS = {"very_dim": 0, "dim": 1, "moderate": 2, "bright": 3, "very_bright": 4}
TIME_OF_DAY = ["morning", "afternoon", "evening", "night"]
HVAC_MODES = ["cooling_active", "eco_mode", "heating_active", "maintenance_mode", "off", "ventilation_only"]

LABEL_FIX = {
    "LowActivity": "Low Activity",
    "Low_Activity": "Low Activity",
    "ModerateActivity": "Moderate Activity",
    "Moderate_Activity": "Moderate Activity",
    "HighActivity": "High Activity",
    "High_Activity": "High Activity",
}


def load_table(db_path, table):
    """Read one table from sqlite db into dataframe."""
    if not os.path.exists(db_path):
        raise FileNotFoundError(f"database not found: {db_path}")
    conn = sqlite3.connect(db_path)
    df = pd.read_sql(f"SELECT * FROM {table}", conn)
    conn.close()
    if df.empty:
        raise ValueError(f"table {table} in {db_path} is empty")
    return df


def fix_temperature(temp):
    """Some readings are in Kelvin (288-299), convert them to Celsius."""
    return np.where(temp > 200, temp - 273.15, temp)


def clean_data(df, medians=None):
    """Fix the data quality issues found in the EDA.

    If medians is None they are computed from df (training), otherwise the given
    medians are used (inference) so that both use the same values.
    Returns cleaned df and medians dict.
    """
    df = df.copy()

    # temperature: kelvin -> celsius
    df["Temperature"] = fix_temperature(df["Temperature"])
    # humidity is a percentage, keep it in the valid range
    df["Humidity"] = df["Humidity"].clip(0, 100)
    # CO2 concentration can't be negative
    df["CO2_InfraredSensor"] = df["CO2_InfraredSensor"].clip(lower=0)

    # categorical text: inconsistent case in HVAC mode
    df["HVAC Operation Mode"] = df["HVAC Operation Mode"].str.strip().str.lower()
    df["Time of Day"] = df["Time of Day"].str.strip().str.lower()

    # fill missing sensor values with median
    if medians is None:
        medians = {c: float(df[c].median()) for c in NUM_COLS}
    for c in NUM_COLS:
        df[c] = df[c].fillna(medians[c])

    # target labels have 3 different spellings
    if "Activity Level" in df.columns:
        df["Activity Level"] = df["Activity Level"].replace(LABEL_FIX)

    return df, medians


def make_features(df):
    """Build the model input matrix from a cleaned dataframe.

    - CO sensor and light level are ordinal -> mapped to 0..4, missing -> -1
    - time of day and HVAC mode one-hot encoded with a fixed list of categories so that
      train and holdout always get the same columns
    - extra features: mean of the 4 metal oxide sensors and ratio of the two CO2 sensors
    """
    X = pd.DataFrame(index=df.index)
    for c in NUM_COLS:
        X[c] = df[c]

    X["co_level"] = df["CO_GasSensor"].map(CO_LEVELS).fillna(-1)
    X["light_level"] = df["Ambient Light Level"].map(LIGHT_LEVELS).fillna(-1)

    for t in TIME_OF_DAY:
        X[f"tod_{t}"] = (df["Time of Day"] == t).astype(int)
    for m in HVAC_MODES:
        X[f"hvac_{m}"] = (df["HVAC Operation Mode"] == m).astype(int)

    # the 4 MOX sensors are strongly correlated (0.4-0.77) -> average is less noisy
    X["mox_mean"] = df[MOX_COLS].mean(axis=1)
    X["co2_ratio"] = df["CO2_ElectroChemicalSensor"] / (df["CO2_InfraredSensor"] + 1)
    return X
