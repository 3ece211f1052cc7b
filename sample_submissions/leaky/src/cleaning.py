"""Row-wise cleaning of the raw deliveries and features derived from the raw columns.

Everything here works one row at a time with fixed rules, so the same functions are applied to
the training data and to the holdout data.
"""
from __future__ import annotations

import logging
import re
from typing import Any

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

TEXT_COLUMNS = ["region", "vehicle_type", "weather", "customer_tier"]
TRUE_VALUES = {"1", "true", "yes", "y", "t"}
FALSE_VALUES = {"0", "false", "no", "n", "f"}
WEIGHT_PATTERN = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(kg|g)\s*$", re.IGNORECASE)
BAD_WEATHER = {"rain", "storm"}


def normalise_text(series: pd.Series) -> pd.Series:
    """Strip spaces and lower-case a text column (``' NORTH '`` -> ``'north'``)."""
    return series.str.strip().str.lower()


def parse_weight_kg(value: Any) -> float:
    """Convert a weight such as ``'2.4 kg'``, ``'1.2kg'``, ``'850 g'`` or ``'850g'`` to kilograms.

    Values that do not match ``<number> kg|g`` are returned as NaN and imputed later.
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    match = WEIGHT_PATTERN.match(str(value))
    if match is None:
        return np.nan
    amount, unit = float(match.group(1)), match.group(2).lower()
    return amount / 1000 if unit == "g" else amount


def parse_express(value: Any) -> float:
    """Map the many spellings of the express flag (``1``, ``Yes``, ``TRUE``, ``no``...) to 1/0."""
    text = str(value).strip().lower()
    if text in TRUE_VALUES:
        return 1.0
    if text in FALSE_VALUES:
        return 0.0
    return np.nan


def fix_numeric_errors(df: pd.DataFrame, cfg: dict[str, Any]) -> pd.DataFrame:
    """Correct or blank out impossible numeric values found in the EDA."""
    df = df.copy()
    for col in ["distance_km", "driver_experience_yrs", "driver_rating", "traffic_index", "num_items"]:
        df[col] = pd.to_numeric(df[col], errors="coerce")

    # negative distances have the same distribution as positive ones: sign errors
    df["distance_km"] = df["distance_km"].abs()
    # 999 / 5000 / 9999 km are placeholders, not real routes
    df.loc[df["distance_km"] > cfg["max_distance_km"], "distance_km"] = np.nan
    # the traffic index is defined on 0-10; values like 95 are entry errors
    df.loc[df["traffic_index"] > cfg["max_traffic_index"], "traffic_index"] = np.nan
    # experience cannot be negative and ratings are on a 1-5 scale
    df.loc[df["driver_experience_yrs"] < 0, "driver_experience_yrs"] = np.nan
    df.loc[~df["driver_rating"].between(1, 5), "driver_rating"] = np.nan
    return df


def add_time_features(df: pd.DataFrame, rush_hours: list[int]) -> pd.DataFrame:
    """Add ``hour``, ``is_rush_hour`` and ``is_weekend`` from ``order_datetime``."""
    df = df.copy()
    timestamps = pd.to_datetime(df["order_datetime"], format="%Y-%m-%d %H:%M:%S", errors="coerce")
    df["hour"] = timestamps.dt.hour
    df["is_rush_hour"] = df["hour"].isin(rush_hours).astype(float)
    df["is_weekend"] = (timestamps.dt.day_of_week >= 5).astype(float)
    # keep NaN (not 0) for unparseable timestamps so that they are imputed like other gaps
    df.loc[timestamps.isna(), ["is_rush_hour", "is_weekend"]] = np.nan
    return df


def clean_deliveries(df: pd.DataFrame, cfg: dict[str, Any], drop_duplicates: bool) -> pd.DataFrame:
    """Apply every cleaning rule and derived feature to a raw deliveries table.

    Args:
        df: raw table as read from SQLite.
        cfg: the ``cleaning`` section of the config.
        drop_duplicates: True for training data; False for the holdout, which must keep one
            prediction per row.
    """
    df = df.copy()
    if drop_duplicates:
        before = len(df)
        df = df.drop_duplicates().reset_index(drop=True)
        logger.info("Dropped %d exact duplicate rows", before - len(df))

    for col in TEXT_COLUMNS:
        df[col] = normalise_text(df[col])
    df["parcel_weight_kg"] = df["parcel_weight"].map(parse_weight_kg)
    df["express"] = df["express"].map(parse_express)
    df = fix_numeric_errors(df, cfg)
    df = add_time_features(df, cfg["rush_hours"])

    # EDA: long routes are much more often late in rain and storms than in clear weather
    bad_weather = df["weather"].isin(BAD_WEATHER).astype(float)
    df["distance_x_bad_weather"] = df["distance_km"] * bad_weather

    n_missing = int(df[["distance_km", "parcel_weight_kg", "traffic_index",
                        "driver_experience_yrs"]].isna().sum().sum())
    logger.info("Cleaned %d rows (%d numeric values set to missing or already missing)",
                len(df), n_missing)
    return df
