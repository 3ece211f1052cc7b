"""Feature engineering and the sklearn preprocessing transformer."""
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

NUMERIC_FEATURES = [
    "distance_km", "parcel_weight_kg", "num_items", "driver_experience_yrs",
    "driver_rating", "traffic_index", "order_hour", "express", "is_weekend",
    "is_peak_hour", "weight_per_item",
]
CATEGORICAL_FEATURES = ["region", "vehicle_type", "weather", "customer_tier"]


def add_features(df, cfg):
    """Add time based features and a weight per item ratio."""
    df = df.copy()
    peak_hours = cfg["features"]["peak_hours"]
    df["order_hour"] = df["order_datetime"].dt.hour
    df["is_weekend"] = (df["order_datetime"].dt.dayofweek >= 5).astype(int)
    # late rate is ~40% in the morning and evening rush hours (see EDA)
    df["is_peak_hour"] = df["order_hour"].isin(peak_hours).astype(int)
    df["weight_per_item"] = df["parcel_weight_kg"] / df["num_items"].clip(lower=1)
    # weather is missing for ~10% of rows, keep it as its own category
    df["weather"] = df["weather"].fillna("unknown")
    return df


def build_preprocessor():
    """ColumnTransformer: median impute + scale numbers, one-hot categories."""
    numeric = Pipeline([
        ("impute", SimpleImputer(strategy="median")),
        ("scale", StandardScaler()),
    ])
    categorical = Pipeline([
        ("impute", SimpleImputer(strategy="most_frequent")),
        ("onehot", OneHotEncoder(handle_unknown="ignore")),
    ])
    return ColumnTransformer([
        ("num", numeric, NUMERIC_FEATURES),
        ("cat", categorical, CATEGORICAL_FEATURES),
    ])


def get_X(df):
    """Select the model input columns."""
    return df[NUMERIC_FEATURES + CATEGORICAL_FEATURES]
