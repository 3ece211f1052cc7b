"""Row-level cleaning rules derived from the EDA (eda.ipynb, section 3).

These rules use no statistics from the data, so they are applied in the same
way to training and holdout rows. Imputation of the values set to NaN here
happens later, inside the model pipeline, so it is learnt on training folds only.
"""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

EXPRESS_TRUE = {"1", "yes", "true", "y"}
EXPRESS_FALSE = {"0", "no", "false", "n"}


def normalise_text(series: pd.Series) -> pd.Series:
    """Strip whitespace and lower-case; 25 spellings of 5 regions collapse to 5 (EDA 3.2)."""
    s = series.astype("string").str.strip().str.lower()
    return s.astype(object).where(s.notna(), np.nan)


def parse_express(series: pd.Series) -> pd.Series:
    """Map the 10 encodings of the express flag (yes/TRUE/1/...) to 0/1; anything else -> NaN."""
    s = normalise_text(series)
    out = pd.Series(np.nan, index=series.index, dtype="float64")
    out[s.isin(EXPRESS_TRUE)] = 1.0
    out[s.isin(EXPRESS_FALSE)] = 0.0
    return out


def parse_weight_kg(series: pd.Series) -> pd.Series:
    """Convert '2.9kg', '3180g', '1740 g' ... to kilograms. Unparseable strings become NaN."""
    s = series.astype("string").str.replace(" ", "", regex=False).str.lower()
    number = pd.to_numeric(s.str.extract(r"^([0-9]*\.?[0-9]+)", expand=False), errors="coerce")
    unit = s.str.extract(r"([a-z]+)$", expand=False)
    kg = np.where((unit == "g").fillna(False), number / 1000.0, number)   # no unit -> assume kg
    return pd.Series(kg, index=series.index, dtype="float64")


def clean_deliveries(df: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    """Apply all deterministic corrections; returns a new frame with the same rows."""
    df = df.copy()
    for col in ["region", "vehicle_type", "weather", "customer_tier"]:
        df[col] = normalise_text(df[col])
    df["express"] = parse_express(df["express"])
    df["parcel_weight_kg"] = parse_weight_kg(df["parcel_weight"])
    df = df.drop(columns=["parcel_weight"])

    # distance: 235 negative values have the same distribution as the positive ones
    # once mirrored (EDA 3.4), so they are sign errors; 999/5000/9999 are placeholders.
    sentinels = cfg["distance_sentinels"]
    n_sent = int(df["distance_km"].isin(sentinels).sum())
    df.loc[df["distance_km"].isin(sentinels), "distance_km"] = np.nan
    df["distance_km"] = df["distance_km"].abs()

    # traffic index is documented as 0-10; a handful of readings above that are capped.
    df["traffic_index"] = df["traffic_index"].clip(lower=0, upper=cfg["traffic_index_max"])

    # negative experience is impossible -> unknown
    df.loc[df["driver_experience_yrs"] < 0, "driver_experience_yrs"] = np.nan
    lo, hi = cfg["rating_range"]
    df.loc[~df["driver_rating"].between(lo, hi), "driver_rating"] = np.nan

    df["order_datetime"] = pd.to_datetime(df["order_datetime"], errors="coerce")
    logger.info("Cleaning: %d distance placeholders set to missing", n_sent)
    return df


def drop_duplicate_deliveries(df: pd.DataFrame, id_column: str) -> pd.DataFrame:
    """Remove repeated deliveries (120 exact copies in the training data) before any split."""
    before = len(df)
    df = df.drop_duplicates(subset=[c for c in df.columns if c != id_column] + [id_column])
    df = df.drop_duplicates(subset=[id_column], keep="first")
    logger.info("Removed %d duplicate rows", before - len(df))
    return df.reset_index(drop=True)
