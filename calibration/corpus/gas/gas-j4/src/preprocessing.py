"""
preprocessing.py
Cleaning and feature preparation for the gas monitoring data.
"""
import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer

NUMERIC_COLS = [
    "Temperature", "Humidity", "CO2_InfraredSensor", "CO2_ElectroChemicalSensor",
    "MetalOxideSensor_Unit1", "MetalOxideSensor_Unit2", "MetalOxideSensor_Unit3",
    "MetalOxideSensor_Unit4",
]
CATEGORICAL_COLS = ["Time of Day", "CO_GasSensor", "HVAC Operation Mode", "Ambient Light Level"]

# map the different spellings of the target to the 3 classes
TARGET_MAPPING = {
    "LowActivity": "Low Activity",
    "Low_Activity": "Low Activity",
    "ModerateActivity": "Moderate Activity",
}


def clean_target(df, target):
    """Fix the inconsistent spellings in the target column."""
    df[target] = df[target].replace(TARGET_MAPPING)
    return df


def clean_categorical(df):
    """Standardise the text columns (lower case) and fill missing with 'unknown'."""
    for col in CATEGORICAL_COLS:
        df[col] = df[col].str.lower().str.strip()
        df[col] = df[col].fillna("unknown")
    return df


def cap_outliers(df, bounds=None):
    """
    Cap outliers in the numeric columns using the IQR method.
    If bounds is None they are calculated from df, otherwise the given bounds are used
    (so that the holdout data is capped with the training bounds).
    """
    if bounds is None:
        bounds = {}
        for col in NUMERIC_COLS:
            q1 = df[col].quantile(0.25)
            q3 = df[col].quantile(0.75)
            iqr = q3 - q1
            bounds[col] = (q1 - 1.5 * iqr, q3 + 1.5 * iqr)
    for col in NUMERIC_COLS:
        lower, upper = bounds[col]
        df[col] = df[col].clip(lower, upper)
    return df, bounds


def impute_missing(df, imputer=None):
    """Fill missing numeric values with the median."""
    if imputer is None:
        imputer = SimpleImputer(strategy="median")
        df[NUMERIC_COLS] = imputer.fit_transform(df[NUMERIC_COLS])
    else:
        df[NUMERIC_COLS] = imputer.transform(df[NUMERIC_COLS])
    return df, imputer


def encode(df, columns=None):
    """One-hot encode the categorical columns. If columns is given, align to it."""
    df = pd.get_dummies(df, columns=CATEGORICAL_COLS, dtype=int)
    if columns is not None:
        df = df.reindex(columns=columns, fill_value=0)
    return df


def preprocess(df, target=None, state=None):
    """
    Run all the cleaning steps.

    Args:
        df: raw dataframe
        target: name of target column (None for holdout data)
        state: dict with fitted bounds/imputer/columns from training (None when training)

    Returns:
        X, y, state
    """
    df = df.copy()
    df = df.drop(columns=["Record ID"])
    if target is not None:
        df = clean_target(df, target)
        df = df.drop_duplicates()
    df = clean_categorical(df)

    fit = state is None
    if fit:
        state = {}
    df, state["bounds"] = cap_outliers(df, None if fit else state["bounds"])
    df, state["imputer"] = impute_missing(df, None if fit else state["imputer"])

    y = None
    if target is not None:
        y = df[target]
        df = df.drop(columns=[target])
    X = encode(df, None if fit else state["columns"])
    if fit:
        state["columns"] = list(X.columns)
    return X, y, state
