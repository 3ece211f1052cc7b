"""Cleaning of the raw columns and creation of the model features.

The cleaning steps come from the problems found in eda.ipynb:
- region / vehicle_type written in different cases with extra spaces
- parcel_weight stored as text with kg or g units
- express stored as 1/0, yes/no, true/false in different cases
- negative distances (sign errors) and impossible distances (999, 5000, 9999 km)
- negative driver experience, traffic_index above its 0-10 scale
- missing values in weather, driver_rating, driver_experience_yrs and parcel_weight
"""
import numpy as np
import pandas as pd

CATEGORY_COLUMNS = ["region", "vehicle_type", "weather", "customer_tier"]
NUMBER_COLUMNS = ["distance_km", "weight_kg", "num_items", "driver_experience_yrs",
                  "driver_rating", "traffic_index"]
REQUIRED_COLUMNS = ["delivery_id", "order_datetime", "region", "distance_km", "parcel_weight",
                    "num_items", "vehicle_type", "driver_experience_yrs", "driver_rating",
                    "weather", "traffic_index", "customer_tier", "express"]

TRUE_WORDS = {"1", "yes", "y", "true", "t"}
MAX_DISTANCE_KM = 100   # longest real trip in the data is ~60 km, the rest are 999/5000/9999 codes
MAX_TRAFFIC = 10        # traffic_index is documented as 0-10
RUSH_HOURS = [7, 8, 9, 17, 18, 19]


def check_columns(frame):
    """Raise a clear error if a column the pipeline needs is missing from the table."""
    missing = [col for col in REQUIRED_COLUMNS if col not in frame.columns]
    if missing:
        raise ValueError(f"input table is missing the columns: {missing}")


def tidy_text(series):
    """Strip spaces and lower-case a text column (' NORTH ' -> 'north'), keeping NaN."""
    return series.str.strip().str.lower()


def weight_in_kg(series):
    """Turn strings like '2.9kg', '2.9 kg', '2900 g' or '2900g' into a float in kg.

    Anything that does not look like '<number> kg' or '<number> g' becomes NaN and is
    imputed later.
    """
    text = series.astype("string").str.lower().str.replace(" ", "", regex=False)
    parts = text.str.extract(r"^([0-9]*\.?[0-9]+)(kg|g)$")
    number = pd.to_numeric(parts[0], errors="coerce")
    grams = (parts[1] == "g").fillna(False).astype(bool)
    return number.where(~grams, number / 1000).astype(float)


def yes_no_to_int(series):
    """Map the different spellings of a boolean ('1', 'Yes', 'TRUE', 'no', ...) to 1/0."""
    words = series.astype("string").str.strip().str.lower()
    return words.isin(TRUE_WORDS).fillna(False).astype(int)


def clean(frame):
    """Fix the erroneous values of a raw deliveries table (row by row, nothing is learnt here)."""
    check_columns(frame)
    df = frame.copy()

    for col in CATEGORY_COLUMNS:
        df[col] = tidy_text(df[col])
    # ~10% of weather is missing; keep it as its own category instead of guessing
    df["weather"] = df["weather"].fillna("unknown")

    df["weight_kg"] = weight_in_kg(df["parcel_weight"])
    df = df.drop(columns=["parcel_weight"])
    df["express"] = yes_no_to_int(df["express"])

    # negative distances are sign errors, the huge ones are placeholders -> unknown
    distance = pd.to_numeric(df["distance_km"], errors="coerce").abs()
    df["distance_km"] = distance.where(distance <= MAX_DISTANCE_KM, np.nan)

    # negative experience cannot be right, treat it as missing
    experience = pd.to_numeric(df["driver_experience_yrs"], errors="coerce")
    df["driver_experience_yrs"] = experience.where(experience >= 0, np.nan)

    traffic = pd.to_numeric(df["traffic_index"], errors="coerce")
    df["traffic_index"] = traffic.where(traffic <= MAX_TRAFFIC, np.nan)
    return df


def add_time_features(df):
    """Add hour, weekday, weekend and rush-hour columns from order_datetime and drop it."""
    df = df.copy()
    ordered_at = pd.to_datetime(df["order_datetime"], errors="coerce")
    df["order_hour"] = ordered_at.dt.hour
    df["order_weekday"] = ordered_at.dt.day_of_week
    df["is_weekend"] = (df["order_weekday"] >= 5).astype(int)
    df["is_rush_hour"] = df["order_hour"].isin(RUSH_HOURS).astype(int)
    return df.drop(columns=["order_datetime"])


def learn_fill_values(train_df):
    """Median of every numeric column, computed on the training rows only."""
    columns = NUMBER_COLUMNS + ["order_hour", "order_weekday"]
    return {col: float(train_df[col].median()) for col in columns}


def fill_missing(df, fill_values):
    """Replace NaN with the medians learnt by learn_fill_values()."""
    df = df.copy()
    for col, value in fill_values.items():
        df[col] = df[col].fillna(value)
    return df


def one_hot(df, train_columns=None):
    """One-hot encode the categories; with train_columns, align to the training layout."""
    encoded = pd.get_dummies(df, columns=CATEGORY_COLUMNS, dtype=int)
    if train_columns is not None:
        # categories never seen in training are dropped, missing ones are added as 0
        encoded = encoded.reindex(columns=train_columns, fill_value=0)
    return encoded
