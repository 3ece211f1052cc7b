"""Cleaning and feature preparation (see eda.ipynb, sections 2-4)."""
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

TARGET = "Activity Level"
CLASSES = ["High Activity", "Low Activity", "Moderate Activity"]

# ordinal scales of the two text sensors
CO_LEVELS = {"extremely low": 0, "low": 1, "medium": 2, "high": 3, "extremely high": 4}
LIGHT_LEVELS = {"very_dim": 0, "dim": 1, "moderate": 2, "bright": 3, "very_bright": 4}

MOS = ["MetalOxideSensor_Unit1", "MetalOxideSensor_Unit2", "MetalOxideSensor_Unit3", "MetalOxideSensor_Unit4"]
NUMERIC = ["Temperature", "Humidity", "CO2_InfraredSensor", "CO2_ElectroChemicalSensor"] + MOS + \
          ["co_level", "light_level", "mos_mean", "co2_ratio"]
CATEGORICAL = ["Time of Day", "HVAC Operation Mode"]


def clean_target(y):
    """'LowActivity', 'Low_Activity' -> 'Low Activity'."""
    y = y.str.replace("_", " ", regex=False).str.replace(r"(\w)Activity", r"\1 Activity", regex=True)
    return y.str.strip()


def clean(df):
    """Fix units, invalid ranges and inconsistent spellings. Same function for train and holdout."""
    df = df.copy()

    # sensor values must be numbers; text from the logger becomes NaN and is imputed later
    for c in ["Temperature", "Humidity", "CO2_InfraredSensor", "CO2_ElectroChemicalSensor"] + MOS:
        df[c] = pd.to_numeric(df[c], errors="coerce")

    # ~600 temperatures around 289-299 are Kelvin (EDA 2.2)
    kelvin = df["Temperature"] > 200
    df.loc[kelvin, "Temperature"] = df.loc[kelvin, "Temperature"] - 273.15

    # relative humidity must be 0-100 %
    df["Humidity"] = df["Humidity"].clip(0, 100)

    # CO2 reading cannot be negative -> treat as missing
    df.loc[df["CO2_InfraredSensor"] < 0, "CO2_InfraredSensor"] = np.nan

    df["HVAC Operation Mode"] = df["HVAC Operation Mode"].str.lower().str.strip()
    df["Time of Day"] = df["Time of Day"].str.lower().str.strip()
    df["co_level"] = df["CO_GasSensor"].str.lower().map(CO_LEVELS)
    df["light_level"] = df["Ambient Light Level"].str.lower().map(LIGHT_LEVELS)

    if TARGET in df.columns:
        df[TARGET] = clean_target(df[TARGET])
    return df


def add_features(df):
    """Average of the metal oxide units and ratio of the two CO2 sensors."""
    df = df.copy()
    df["mos_mean"] = df[MOS].mean(axis=1)  # unit 3 is often missing, mean of the rest
    df["co2_ratio"] = df["CO2_ElectroChemicalSensor"] / df["CO2_InfraredSensor"]
    return df


def drop_duplicates(df):
    """Same readings recorded twice under different Record IDs."""
    cols = [c for c in df.columns if c != "Record ID"]
    return df.drop_duplicates(subset=cols).reset_index(drop=True)


def make_preprocessor():
    """Median impute + scale numeric, impute + one-hot categorical."""
    num = Pipeline([("imp", SimpleImputer(strategy="median")), ("sc", StandardScaler())])
    cat = Pipeline([("imp", SimpleImputer(strategy="most_frequent")),
                    ("oh", OneHotEncoder(handle_unknown="ignore"))])
    return ColumnTransformer([("num", num, NUMERIC), ("cat", cat, CATEGORICAL)])


def get_xy(df):
    """Split a cleaned frame into features and (optional) target."""
    X = df[NUMERIC + CATEGORICAL]
    y = df[TARGET] if TARGET in df.columns else None
    return X, y
