"""Row-wise cleaning and feature construction.

Nothing in this module learns from the data (no means, medians or category lists), so it can
be applied before the train/test split without leaking. Imputation, scaling and encoding are
fitted later, inside the sklearn Pipeline (see modelling.py).
"""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from pipeline.config import Settings

log = logging.getLogger(__name__)

TRUTHY = {"1", "true", "yes", "y", "t"}
FALSY = {"0", "false", "no", "n", "f"}
WEIGHT_PATTERN = r"^\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>kg|g)\s*$"

NUMERIC_FEATURES = [
    "distance_km", "weight_kg", "num_items", "driver_experience_yrs", "driver_rating",
    "traffic_index", "order_hour", "bad_weather_km",
]
BINARY_FEATURES = ["express", "is_weekend", "is_rush_hour"]
CATEGORICAL_FEATURES = ["region", "vehicle_type", "weather", "customer_tier"]


def normalise_label(values: pd.Series) -> pd.Series:
    """Trim and lower-case a categorical column, so ' NORTH ' and 'north' are one category."""
    return values.astype("string").str.strip().str.lower().astype(object).where(values.notna())


def parse_weight_kg(values: pd.Series) -> pd.Series:
    """Convert '2.9kg', '2.9 kg', '2900 g' and '2900g' to kilograms; unparseable -> NaN."""
    parts = values.astype("string").str.lower().str.extract(WEIGHT_PATTERN)
    number = pd.to_numeric(parts["value"], errors="coerce")
    factor = parts["unit"].map({"kg": 1.0, "g": 0.001}).astype(float)
    return (number * factor).astype(float)


def parse_flag(values: pd.Series) -> pd.Series:
    """Map the boolean spellings ('1', 'Yes', 'TRUE', 'no', ...) to 1/0; unknown -> 0."""
    text = values.astype("string").str.strip().str.lower()
    unknown = ~text.isin(TRUTHY | FALSY)
    if unknown.any():
        log.warning("%d unrecognised boolean values, treated as 0", int(unknown.sum()))
    return text.isin(TRUTHY).fillna(False).astype(int)


def fix_numeric_errors(frame: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Correct sign errors and turn impossible values into NaN for the imputer."""
    out = frame.copy()
    for column in ["distance_km", "driver_experience_yrs", "driver_rating", "traffic_index", "num_items"]:
        out[column] = pd.to_numeric(out[column], errors="coerce")

    # ~2% of distances and ~1% of experience values have a flipped sign: the magnitude is plausible
    out["distance_km"] = out["distance_km"].abs()
    out["driver_experience_yrs"] = out["driver_experience_yrs"].abs()
    # 999 / 5000 / 9999 km and traffic indices of 25-99 are codes or glitches, not measurements
    out.loc[out["distance_km"] > settings.max_distance_km, "distance_km"] = np.nan
    out.loc[out["traffic_index"] > settings.max_traffic_index, "traffic_index"] = np.nan
    out.loc[~out["driver_rating"].between(1, 5), "driver_rating"] = np.nan
    return out


def build_features(raw: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Return the model-ready feature frame (plus id and, if present, target) for raw rows."""
    frame = fix_numeric_errors(raw, settings)
    for column in CATEGORICAL_FEATURES:
        frame[column] = normalise_label(frame[column])

    frame["weight_kg"] = parse_weight_kg(frame["parcel_weight"])
    frame["express"] = parse_flag(frame["express"])

    ordered = pd.to_datetime(frame["order_datetime"], errors="coerce")
    frame["order_hour"] = ordered.dt.hour.astype(float)
    frame["is_weekend"] = (ordered.dt.day_of_week >= 5).astype(int)
    frame["is_rush_hour"] = ordered.dt.hour.isin(settings.rush_hours).astype(int)
    # EDA: the late rate grows with distance much faster in rain and storms
    frame["bad_weather_km"] = frame["distance_km"] * frame["weather"].isin(settings.bad_weather)

    keep = [settings.id_column, *NUMERIC_FEATURES, *BINARY_FEATURES, *CATEGORICAL_FEATURES]
    if settings.target in frame.columns:
        keep.append(settings.target)
    return frame[keep]
