"""
Loading and cleaning of the deliveries data.

All the cleaning steps are explained in the EDA notebook.
"""
import sqlite3
import os

import numpy as np
import pandas as pd


CAT_COLS = ["region", "vehicle_type", "weather", "customer_tier"]
NUM_COLS = ["distance_km", "weight_kg", "num_items", "driver_experience_yrs",
            "driver_rating", "traffic_index"]


def load_table(db_path, table="deliveries"):
    """Read one table from a sqlite database into a DataFrame."""
    if not os.path.exists(db_path):
        raise FileNotFoundError("Could not find database file: " + db_path)
    con = sqlite3.connect(db_path)
    try:
        df = pd.read_sql_query("SELECT * FROM " + table, con)
    finally:
        con.close()
    if len(df) == 0:
        raise ValueError("Table " + table + " is empty")
    return df


def weight_to_kg(w):
    """'2.9kg' -> 2.9, '3180g' -> 3.18, missing stays NaN"""
    if w is None or pd.isna(w):
        return np.nan
    w = str(w).lower().replace(" ", "")
    try:
        if w.endswith("kg"):
            return float(w.replace("kg", ""))
        elif w.endswith("g"):
            return float(w.replace("g", "")) / 1000
        return float(w)
    except ValueError:
        return np.nan


def clean(df):
    """Fix text labels, units and impossible values. Returns a new DataFrame."""
    df = df.copy()
    df = df.drop_duplicates()

    # same category written in different ways (NORTH, north, ' North')
    for c in CAT_COLS:
        df[c] = df[c].astype(str).str.strip().str.lower()
    df["weather"] = df["weather"].replace({"nan": "unknown", "none": "unknown"})

    yes = ["yes", "true", "1"]
    df["express"] = df["express"].astype(str).str.strip().str.lower().isin(yes).astype(int)

    df["weight_kg"] = df["parcel_weight"].apply(weight_to_kg)

    # physically impossible values -> NaN, filled later
    df.loc[df["distance_km"] < 0, "distance_km"] = np.nan
    df.loc[df["distance_km"] > 500, "distance_km"] = np.nan      # 999, 5000, 9999 codes
    df.loc[df["driver_experience_yrs"] < 0, "driver_experience_yrs"] = np.nan
    df["traffic_index"] = df["traffic_index"].clip(upper=10)     # index is defined on 0-10

    return df


def add_time_features(df):
    """Hour, day of week and month from order_datetime."""
    t = pd.to_datetime(df["order_datetime"], errors="coerce")
    df["hour"] = t.dt.hour
    df["day_of_week"] = t.dt.day_of_week
    df["month"] = t.dt.month
    df["weekend"] = (df["day_of_week"] >= 5).astype(int)
    return df


def fill_missing(df, medians):
    """Fill numeric NaNs with given medians (computed on the training part)."""
    for c, m in medians.items():
        df[c] = df[c].fillna(m)
    return df


def make_matrix(df, columns=None):
    """One-hot encode categoricals and return the feature matrix.
    If `columns` is given the result is aligned to it (used for test/holdout)."""
    X = df[NUM_COLS + ["express", "hour", "day_of_week", "month", "weekend"] + CAT_COLS]
    X = pd.get_dummies(X, columns=CAT_COLS, dtype=int)
    if columns is not None:
        X = X.reindex(columns=columns, fill_value=0)
    return X
