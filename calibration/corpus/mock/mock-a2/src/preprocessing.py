import numpy as np
import pandas as pd

CAT_COLS = ["region", "vehicle_type", "weather", "customer_tier"]
NUM_COLS = ["distance_km", "parcel_weight_kg", "num_items", "driver_experience_yrs",
            "driver_rating", "traffic_index"]


def convert_weight(w):
    """Convert parcel weight string like '2.9kg' or '3180g' to kg"""
    if pd.isna(w):
        return np.nan
    w = str(w).strip().lower().replace(" ", "")
    try:
        if w.endswith("kg"):
            return float(w[:-2])
        elif w.endswith("g"):
            return float(w[:-1]) / 1000
        else:
            return float(w)
    except ValueError:
        return np.nan


def convert_express(x):
    """express column has lots of different formats (yes/Yes/TRUE/1...)"""
    x = str(x).strip().lower()
    if x in ["yes", "true", "1"]:
        return 1
    return 0


def clean_data(df):
    """Fix the data quality problems found in the EDA"""
    df = df.copy()

    # remove duplicate rows
    df = df.drop_duplicates()

    # categories have different cases and spaces e.g ' NORTH ', 'north'
    for col in CAT_COLS:
        df[col] = df[col].str.strip().str.lower()

    # weather missing -> unknown
    df["weather"] = df["weather"].fillna("unknown")

    df["parcel_weight_kg"] = df["parcel_weight"].apply(convert_weight)
    df["express"] = df["express"].apply(convert_express)

    # negative distance and experience dont make sense, probably typo
    df["distance_km"] = df["distance_km"].abs()
    df["driver_experience_yrs"] = df["driver_experience_yrs"].abs()

    # 999, 5000, 9999 km are not real distances
    df.loc[df["distance_km"] > 500, "distance_km"] = np.nan

    # traffic index should be 0-10
    df.loc[df["traffic_index"] > 10, "traffic_index"] = 10

    return df


def add_features(df):
    """Create date features from order_datetime"""
    df = df.copy()
    df["order_datetime"] = pd.to_datetime(df["order_datetime"])
    df["hour"] = df["order_datetime"].dt.hour
    df["day_of_week"] = df["order_datetime"].dt.dayofweek
    df["month"] = df["order_datetime"].dt.month
    df["is_weekend"] = (df["day_of_week"] >= 5).astype(int)
    return df


def fill_missing(df, medians):
    """Fill missing numeric values with the median"""
    df = df.copy()
    for col in NUM_COLS:
        df[col] = df[col].fillna(medians[col])
    return df


def encode(df, columns=None):
    """One hot encode the categorical columns. If columns is given, align to them (for new data)"""
    X = df.drop(columns=["delivery_id", "order_datetime", "parcel_weight", "late"], errors="ignore")
    X = pd.get_dummies(X, columns=CAT_COLS, dtype=int)
    if columns is not None:
        X = X.reindex(columns=columns, fill_value=0)
    return X
