"""Data cleaning and feature engineering."""
import re

import numpy as np
import pandas as pd

CATEGORICAL_COLS = ["region", "vehicle_type", "weather", "customer_tier"]
NUMERIC_COLS = ["distance_km", "parcel_weight", "num_items", "driver_experience_yrs",
                "driver_rating", "traffic_index"]


def parse_weight(value):
    """Convert a weight string like '2.4 kg', '1.2kg', '850 g' or '850g' to kg (float)."""
    if pd.isna(value):
        return np.nan
    value = str(value).strip().lower()
    match = re.match(r"([\d.]+)\s*(kg|g)", value)
    if match is None:
        return np.nan
    number = float(match.group(1))
    if match.group(2) == "g":
        number = number / 1000
    return number


def parse_express(value):
    value = str(value).strip().lower()
    if value in ["1", "yes", "true"]:
        return 1
    return 0


def clean_data(df, traffic_cap=10):
    """Fix the data quality problems found in the EDA and fill the missing values."""
    df = df.copy()

    # region / vehicle_type have different cases and extra spaces e.g. ' NORTH '
    for col in CATEGORICAL_COLS:
        df[col] = df[col].str.strip().str.lower()

    df["parcel_weight"] = df["parcel_weight"].apply(parse_weight)
    df["express"] = df["express"].apply(parse_express)

    # negative distances look like typos, so take the absolute value
    df["distance_km"] = df["distance_km"].abs()
    df["traffic_index"] = df["traffic_index"].clip(upper=traffic_cap)

    # fill missing values: median for numbers, most common value for categories
    for col in NUMERIC_COLS:
        df[col] = df[col].fillna(df[col].median())
    for col in CATEGORICAL_COLS:
        df[col] = df[col].fillna(df[col].mode()[0])

    return df


def add_time_features(df):
    """Add order hour and weekend flag from order_datetime, then drop the raw column."""
    df = df.copy()
    dates = pd.to_datetime(df["order_datetime"])
    df["hour"] = dates.dt.hour
    df["is_weekend"] = (dates.dt.dayofweek >= 5).astype(int)
    df = df.drop(columns=["order_datetime"])
    return df


def encode(df):
    return pd.get_dummies(df, columns=CATEGORICAL_COLS, dtype=int)
