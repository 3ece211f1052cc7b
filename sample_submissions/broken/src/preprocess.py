"""Cleaning and feature engineering for the deliveries data."""
import logging

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

EXPRESS_MAP = {"1": 1, "0": 0, "yes": 1, "no": 0, "true": 1, "false": 0}


def clean_text(series):
    """Lower-case and strip a text column ('  North' -> 'north')."""
    return series.str.strip().str.lower()


def parse_weight(series):
    """Convert parcel weight such as '2.4 kg' to a float in kg."""
    return series.str.replace(" kg", "", regex=False).astype(float)


def add_time_features(df):
    """Extract the hour and a weekend flag from order_datetime."""
    dt = pd.to_datetime(df["order_datetime"], errors="coerce")
    df["order_hour"] = dt.dt.hour
    df["is_weekend"] = (dt.dt.day_of_week >= 5).astype(int)
    return df


def clean(df, cfg, is_train=True):
    """Apply all cleaning steps. Returns a new DataFrame."""
    df = df.copy()
    prep = cfg["preprocessing"]

    if is_train and prep.get("drop_duplicates", True):
        before = len(df)
        df = df.drop_duplicates()
        logger.info("Removed %d duplicate rows", before - len(df))

    logger.info("Cleaning categorical columns")
    for col in ["region", "vehicle_type", "weather", "customer_tier"]:
        df[col] = clean_text(df[col])
    df["express"] = clean_text(df["express"]).map(EXPRESS_MAP)

    logger.info("Fixing numeric outliers")
    # negative distances and the 9999 values are data entry errors
    df.loc[(df["distance_km"] < 0) | (df["distance_km"] > prep["distance_max_km"]), "distance_km"] = np.nan
    df.loc[df["driver_experience_yrs"] < 0, "driver_experience_yrs"] = np.nan
    df["traffic_index"] = df["traffic_index"].clip(upper=prep["traffic_max"])

    logger.info("Adding time features")
    df = add_time_features(df)

    logger.info("Parsing parcel_weight")
    df["parcel_weight"] = parse_weight(df["parcel_weight"])

    return df
