"""Cleaning and feature preparation for the gas sensor data."""
import numpy as np
import pandas as pd

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

# ordinal text columns -> numbers (order taken from the category names)
CO_LEVELS = {"extremely low": 0, "low": 1, "medium": 2, "high": 3, "extremely high": 4}
LIGHT_LEVELS = {"very_dim": 0, "dim": 1, "moderate": 2, "bright": 3, "very_bright": 4}

TIME_OF_DAY = ["morning", "afternoon", "evening", "night"]
HVAC_MODES = ["off", "heating_active", "cooling_active", "ventilation_only", "eco_mode", "maintenance_mode"]

CLASSES = ["Low Activity", "Moderate Activity", "High Activity"]


def clean_target(series):
    """Fix the different spellings of the target (LowActivity, Low_Activity ...)."""
    s = series.astype(str).str.replace("_", "", regex=False).str.replace(" ", "", regex=False).str.lower()
    mapping = {"lowactivity": "Low Activity", "moderateactivity": "Moderate Activity", "highactivity": "High Activity"}
    return s.map(mapping)


def clean_data(df, cfg):
    """Fix erroneous values. Same function is used for training and holdout data."""
    df = df.copy()

    for col in NUMERIC_COLS:
        df[col] = pd.to_numeric(df[col], errors="coerce")

    # about 8% of temperatures are in Kelvin (values around 290-300)
    kelvin = df["Temperature"] > cfg["cleaning"]["kelvin_threshold"]
    df.loc[kelvin, "Temperature"] = df.loc[kelvin, "Temperature"] - 273.15

    # humidity must be between 0 and 100 %, anything else is a sensor error
    bad_hum = (df["Humidity"] < cfg["cleaning"]["humidity_min"]) | (df["Humidity"] > cfg["cleaning"]["humidity_max"])
    df.loc[bad_hum, "Humidity"] = np.nan

    # a CO2 concentration cannot be negative
    df.loc[df["CO2_InfraredSensor"] < 0, "CO2_InfraredSensor"] = np.nan

    # HVAC mode has many case variants of the same 6 modes
    df["HVAC Operation Mode"] = df["HVAC Operation Mode"].astype(str).str.strip().str.lower()
    df["Time of Day"] = df["Time of Day"].astype(str).str.strip().str.lower()

    df["CO_GasSensor"] = df["CO_GasSensor"].map(CO_LEVELS)
    df["Ambient Light Level"] = df["Ambient Light Level"].map(LIGHT_LEVELS)
    return df


def remove_duplicates(df, id_col):
    """Drop rows that are identical apart from the Record ID."""
    before = len(df)
    df = df.drop_duplicates(subset=[c for c in df.columns if c != id_col])
    print(f"Removed {before - len(df)} duplicate rows")
    return df


def add_features(df):
    """Extra features based on the EDA."""
    df = df.copy()
    mos = ["MetalOxideSensor_Unit1", "MetalOxideSensor_Unit2", "MetalOxideSensor_Unit4"]
    # the metal oxide sensors move together, the average is less noisy
    df["mos_mean"] = df[mos].mean(axis=1)
    # the two CO2 sensors go in opposite directions with activity
    df["co2_ratio"] = df["CO2_ElectroChemicalSensor"] / df["CO2_InfraredSensor"]
    df["co_missing"] = df["CO_GasSensor"].isna().astype(int)
    for t in TIME_OF_DAY:
        df[f"tod_{t}"] = (df["Time of Day"] == t).astype(int)
    for m in HVAC_MODES:
        df[f"hvac_{m}"] = (df["HVAC Operation Mode"] == m).astype(int)
    return df


FEATURE_COLS = (
    NUMERIC_COLS
    + ["CO_GasSensor", "Ambient Light Level", "mos_mean", "co2_ratio", "co_missing"]
    + [f"tod_{t}" for t in TIME_OF_DAY]
    + [f"hvac_{m}" for m in HVAC_MODES]
)


class MedianImputer:
    """Median imputation. Fit on the training split only, then apply to test / holdout."""

    def __init__(self):
        self.medians = None

    def fit(self, X):
        self.medians = X.median(numeric_only=True)
        return self

    def transform(self, X):
        X = X.copy()
        X = X.replace([np.inf, -np.inf], np.nan)
        return X.fillna(self.medians)
