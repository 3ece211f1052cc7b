"""Feature engineering and the sklearn preprocessing graph.

Derived features come from EDA section 4: lateness peaks in the morning
(06-09h) and evening (16-19h) rush and at weekends, and rises with distance
per unit of driver experience.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

RUSH_HOURS = set(range(6, 9)) | set(range(16, 19))

NUMERIC_FEATURES = [
    "distance_km", "parcel_weight_kg", "num_items", "driver_experience_yrs",
    "driver_rating", "traffic_index", "express", "hour_sin", "hour_cos",
    "is_rush_hour", "is_weekend", "weight_per_item",
]
CATEGORICAL_FEATURES = ["region", "vehicle_type", "weather", "customer_tier"]


def add_features(df: pd.DataFrame) -> pd.DataFrame:
    """Add time-of-day, weekend and ratio features. Stateless: safe before the split."""
    df = df.copy()
    ts = df["order_datetime"]
    hour = ts.dt.hour
    df["hour_sin"] = np.sin(2 * np.pi * hour / 24)
    df["hour_cos"] = np.cos(2 * np.pi * hour / 24)
    df["is_rush_hour"] = hour.isin(RUSH_HOURS).astype(float)
    df["is_weekend"] = (ts.dt.day_of_week >= 5).astype(float)
    df.loc[ts.isna(), ["hour_sin", "hour_cos", "is_rush_hour", "is_weekend"]] = np.nan
    df["weight_per_item"] = df["parcel_weight_kg"] / df["num_items"].replace(0, np.nan)
    return df


def build_preprocessor(scale_numeric: bool) -> ColumnTransformer:
    """Median-impute numerics (optionally scaled for linear models); one-hot categoricals.

    Missing weather is kept as its own level: its late rate (22.9%) equals the overall
    rate, so it is not informative but dropping 10% of rows would be wasteful.
    """
    num_steps = [("impute", SimpleImputer(strategy="median", add_indicator=True))]
    if scale_numeric:
        num_steps.append(("scale", StandardScaler()))
    cat_pipe = Pipeline([
        ("impute", SimpleImputer(strategy="constant", fill_value="missing")),
        ("onehot", OneHotEncoder(handle_unknown="ignore", min_frequency=20)),
    ])
    return ColumnTransformer([
        ("num", Pipeline(num_steps), NUMERIC_FEATURES),
        ("cat", cat_pipe, CATEGORICAL_FEATURES),
    ])
