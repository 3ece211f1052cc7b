"""Cleaning of the raw deliveries table.

The same function is used for training data and for the holdout data so
both go through identical steps.
"""
import re

import numpy as np
import pandas as pd

EXPRESS_MAP = {
    "yes": 1, "true": 1, "1": 1,
    "no": 0, "false": 0, "0": 0,
}


def parse_weight(value):
    """Convert a weight string like '2.9kg', '3180g' or '1.3 kg' to kilograms."""
    if pd.isna(value):
        return np.nan
    text = str(value).strip().lower().replace(" ", "")
    match = re.match(r"^([0-9]*\.?[0-9]+)(kg|g)?$", text)
    if not match:
        return np.nan
    number = float(match.group(1))
    unit = match.group(2)
    if unit == "g":
        return number / 1000
    return number


def clean_data(df, cfg):
    """Fix the data quality problems found in the EDA.

    Returns a new DataFrame, the input is not modified.
    """
    df = df.copy()
    clean_cfg = cfg["cleaning"]

    # categorical columns have mixed case and leading spaces (e.g. ' NORTH')
    for col in ["region", "vehicle_type", "weather", "customer_tier"]:
        df[col] = df[col].astype("string").str.strip().str.lower()

    # express has 10 different spellings of yes/no
    df["express"] = df["express"].astype(str).str.strip().str.lower().map(EXPRESS_MAP)

    # parcel weight is a string with kg or g
    df["parcel_weight_kg"] = df["parcel_weight"].apply(parse_weight)
    df = df.drop(columns=["parcel_weight"])

    # distance: 999/5000/9999 are placeholders, negatives are sign errors
    dist = pd.to_numeric(df["distance_km"], errors="coerce")
    dist = dist.where(~dist.isin(clean_cfg["distance_sentinels"]))
    dist = dist.abs()
    dist = dist.where(dist <= clean_cfg["max_distance_km"])
    df["distance_km"] = dist

    # experience cannot be negative or unrealistically large
    exp = pd.to_numeric(df["driver_experience_yrs"], errors="coerce")
    exp = exp.where((exp >= 0) & (exp <= clean_cfg["max_experience_yrs"]))
    df["driver_experience_yrs"] = exp

    # traffic index should be 0-10, a few values look like they were x10
    traffic = pd.to_numeric(df["traffic_index"], errors="coerce")
    traffic = traffic.where(traffic <= clean_cfg["max_traffic_index"], traffic / 10)
    df["traffic_index"] = traffic

    for col in ["num_items", "driver_rating"]:
        df[col] = pd.to_numeric(df[col], errors="coerce")

    df["order_datetime"] = pd.to_datetime(df["order_datetime"], errors="coerce")
    return df


def drop_duplicates(df, id_col):
    """Remove repeated deliveries (same id appears twice in the raw data)."""
    before = len(df)
    df = df.drop_duplicates(subset=[id_col]).reset_index(drop=True)
    print(f"Removed {before - len(df)} duplicate rows")
    return df
