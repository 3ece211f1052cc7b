"""Cleaning steps for the deliveries data (see eda.ipynb section 3)."""
import numpy as np
import pandas as pd

# distances above this are placeholder codes (999, 5000, 9999) not real routes
MAX_DISTANCE_KM = 100
TRUE_VALUES = {"yes", "true", "1"}
FALSE_VALUES = {"no", "false", "0"}


def parse_weight_kg(value):
    """Convert '2.9kg', '2.9 kg', '3180g' or '3180 g' to kilograms (float)."""
    if pd.isna(value):
        return np.nan
    s = str(value).strip().lower().replace(" ", "")
    try:
        if s.endswith("kg"):
            return float(s[:-2])
        if s.endswith("g"):
            return float(s[:-1]) / 1000
        return float(s)
    except ValueError:
        return np.nan


def clean_express(value):
    """Map the 10 different spellings of the express flag to 0/1."""
    s = str(value).strip().lower()
    if s in TRUE_VALUES:
        return 1
    if s in FALSE_VALUES:
        return 0
    return np.nan


def clean_data(df):
    """Fix text categories, units and impossible numbers. Works for train and holdout."""
    df = df.copy()

    # categories: ' NORTH', 'north', 'North' -> 'north'
    for col in ["region", "vehicle_type", "weather", "customer_tier"]:
        df[col] = df[col].str.strip().str.lower()

    df["express"] = df["express"].apply(clean_express)
    df["parcel_weight_kg"] = df["parcel_weight"].apply(parse_weight_kg)
    df = df.drop(columns=["parcel_weight"])

    # numeric columns could come in as text
    for col in ["distance_km", "driver_experience_yrs", "driver_rating", "traffic_index", "num_items"]:
        df[col] = pd.to_numeric(df[col], errors="coerce")

    # negative distances look like a sign error (same range as positive ones)
    df["distance_km"] = df["distance_km"].abs()
    df.loc[df["distance_km"] > MAX_DISTANCE_KM, "distance_km"] = np.nan

    # experience cannot be negative
    df["driver_experience_yrs"] = df["driver_experience_yrs"].clip(lower=0)

    # traffic index is defined on 0-10
    df["traffic_index"] = df["traffic_index"].clip(0, 10)

    return df
