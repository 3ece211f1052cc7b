"""
preprocessing.py
Cleaning and feature preparation for the gas monitoring data.
The same functions are used for the training data and for the holdout data,
so both go through identical steps.
"""
import numpy as np
import pandas as pd

TARGET = "Activity Level"
ID_COL = "Record ID"

NUMERIC_COLS = [
    "Temperature", "Humidity", "CO2_InfraredSensor", "CO2_ElectroChemicalSensor",
    "MetalOxideSensor_Unit1", "MetalOxideSensor_Unit2", "MetalOxideSensor_Unit3",
    "MetalOxideSensor_Unit4",
]

# CO sensor and light level are ordered categories, so map them to numbers in order
CO_ORDER = {"extremely low": 0, "low": 1, "medium": 2, "high": 3, "extremely high": 4}
LIGHT_ORDER = {"very_dim": 0, "dim": 1, "moderate": 2, "bright": 3, "very_bright": 4}

# Target labels come in several spellings (LowActivity, Low_Activity ...)
LABEL_MAP = {
    "lowactivity": "Low Activity",
    "moderateactivity": "Moderate Activity",
    "highactivity": "High Activity",
}


def clean_target(series):
    """Map every spelling of the activity label to one of the three official classes."""
    key = series.astype(str).str.lower().str.replace(r"[^a-z]", "", regex=True)
    return key.map(LABEL_MAP)


def fix_temperature(df):
    """Some temperatures were recorded in Kelvin (around 290-299). Convert them to Celsius."""
    kelvin = df["Temperature"] > 100
    df.loc[kelvin, "Temperature"] = df.loc[kelvin, "Temperature"] - 273.15
    return df


def fix_invalid_readings(df):
    """Replace physically impossible readings with NaN so they get imputed later.

    - Humidity is a percentage, must be between 0 and 100
    - CO2 concentration cannot be negative
    """
    df.loc[(df["Humidity"] < 0) | (df["Humidity"] > 100), "Humidity"] = np.nan
    df.loc[df["CO2_InfraredSensor"] < 0, "CO2_InfraredSensor"] = np.nan
    return df


def clean_categories(df):
    """Lower-case the text columns so that 'OFF', 'Off' and 'off' are one category."""
    for col in ["Time of Day", "HVAC Operation Mode", "CO_GasSensor", "Ambient Light Level"]:
        df[col] = df[col].str.strip().str.lower()
    return df


def encode_features(df):
    """Turn the cleaned columns into the numeric feature table used by the models."""
    features = df[NUMERIC_COLS].copy()
    for col in NUMERIC_COLS:
        features[col] = pd.to_numeric(features[col], errors="coerce")

    # ordinal encoding (NaN stays NaN and is imputed like the numeric columns)
    features["CO_level"] = df["CO_GasSensor"].map(CO_ORDER)
    features["light_level"] = df["Ambient Light Level"].map(LIGHT_ORDER)

    # the four metal oxide sensors are highly correlated (see EDA), average them
    mox = ["MetalOxideSensor_Unit1", "MetalOxideSensor_Unit2",
           "MetalOxideSensor_Unit3", "MetalOxideSensor_Unit4"]
    features["MOX_mean"] = features[mox].mean(axis=1)

    # one-hot for the nominal columns; fixed category lists so train and holdout get the same columns
    for value in ["morning", "afternoon", "evening", "night"]:
        features[f"time_{value}"] = (df["Time of Day"] == value).astype(int)
    for value in ["off", "eco_mode", "heating_active", "cooling_active",
                  "ventilation_only", "maintenance_mode"]:
        features[f"hvac_{value}"] = (df["HVAC Operation Mode"] == value).astype(int)
    return features


def clean_data(df):
    """Run all cleaning steps (no rows are removed here)."""
    df = df.copy()
    df = fix_temperature(df)
    df = fix_invalid_readings(df)
    df = clean_categories(df)
    return df


def prepare_training_data(df):
    """Clean the labelled data, remove duplicates and return X, y."""
    df = clean_data(df)
    df[TARGET] = clean_target(df[TARGET])
    df = df.dropna(subset=[TARGET])

    # duplicated records: same values, only the Record ID is different
    before = len(df)
    df = df.drop_duplicates(subset=[c for c in df.columns if c != ID_COL])
    print(f"Removed {before - len(df)} duplicate rows, {len(df)} rows left")

    X = encode_features(df)
    y = df[TARGET].reset_index(drop=True)
    return X.reset_index(drop=True), y
