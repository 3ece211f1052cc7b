"""Row-wise cleaning of the raw deliveries data.

Everything in this module is *stateless*: each row is repaired using only its
own values and fixed rules from the configuration, never statistics of the
dataset.  It is therefore safe to run before the train/test split and to run
unchanged on the hold-out data.  Anything that learns from the data (medians
for imputation, scaling, one-hot categories) lives in the scikit-learn
pipeline built in ``src.features`` so that it is fitted on training rows only.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from src.config import CleaningConfig

logger = logging.getLogger(__name__)

CATEGORICAL_TEXT_COLUMNS: tuple[str, ...] = ("region", "vehicle_type", "weather", "customer_tier")
NUMERIC_COLUMNS: tuple[str, ...] = (
    "distance_km",
    "num_items",
    "driver_experience_yrs",
    "driver_rating",
    "traffic_index",
)

# The depot systems write the express flag in many ways; anything else becomes NaN.
_TRUE_TOKENS = frozenset({"1", "1.0", "true", "t", "yes", "y"})
_FALSE_TOKENS = frozenset({"0", "0.0", "false", "f", "no", "n"})

# Weight strings look like "2.4 kg", "1.2kg", "850 g" or "850g".
_WEIGHT_PATTERN = r"^\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>kg|g)?\s*$"
_GRAMS_PER_KG = 1000.0


def drop_exact_duplicates(frame: pd.DataFrame) -> pd.DataFrame:
    """Remove rows that are identical in every column and log how many there were.

    Used on the training data only: the hold-out file must keep every row
    because the predictions contract asks for one prediction per row.
    """
    n_before = len(frame)
    deduplicated = frame.drop_duplicates().reset_index(drop=True)
    logger.info("Dropped %d exact duplicate rows", n_before - len(deduplicated))
    return deduplicated


def normalise_category(series: pd.Series) -> pd.Series:
    """Lower-case and strip a text column so ' NORTH ' and 'north' are one level.

    Empty strings are turned into NaN so that they are imputed like any other
    missing value.
    """
    cleaned = series.astype("string").str.strip().str.lower().replace("", pd.NA)
    # scikit-learn imputers expect np.nan, not pd.NA, as the missing marker.
    return cleaned.astype(object).where(cleaned.notna(), np.nan)


def parse_weight_kg(series: pd.Series) -> pd.Series:
    """Convert weight strings with mixed units ('2.4 kg', '850g') to float kilograms.

    A value without a unit is assumed to already be in kilograms.  Strings
    that do not match the expected pattern become NaN (and are counted in the
    log) rather than raising, because one bad record must not stop the run.
    """
    text = series.astype("string").str.lower()
    parts = text.str.extract(_WEIGHT_PATTERN)
    value = pd.to_numeric(parts["value"], errors="coerce")
    in_grams = parts["unit"].eq("g").fillna(False).astype(bool)
    weight_kg = value.where(~in_grams, value / _GRAMS_PER_KG).astype(float)

    unparseable = int((text.notna() & weight_kg.isna()).sum())
    if unparseable:
        logger.warning(
            "parcel_weight: %d values could not be parsed and were set to NaN", unparseable
        )
    return weight_kg


def parse_boolean(series: pd.Series) -> pd.Series:
    """Map the many spellings of a boolean (1/0, Yes/no, TRUE/false) to 1.0/0.0/NaN."""
    tokens = series.astype("string").str.strip().str.lower()
    result = pd.Series(np.nan, index=series.index, dtype=float)
    result[tokens.isin(_TRUE_TOKENS).fillna(False).astype(bool)] = 1.0
    result[tokens.isin(_FALSE_TOKENS).fillna(False).astype(bool)] = 0.0
    return result


def _to_nan_outside(series: pd.Series, low: float, high: float, name: str) -> pd.Series:
    """Replace values outside [low, high] by NaN and log how many were replaced."""
    invalid = series.notna() & ~series.between(low, high)
    if invalid.any():
        logger.info("%s: %d implausible values set to NaN", name, int(invalid.sum()))
    return series.mask(invalid)


def clean_deliveries(frame: pd.DataFrame, config: CleaningConfig) -> pd.DataFrame:
    """Return a cleaned copy of the raw deliveries table.

    Repairs applied (all decided from the EDA notebook):

    * text categories: case and whitespace normalised;
    * numeric columns: coerced with ``pd.to_numeric`` (bad strings -> NaN);
    * ``distance_km``: negative values are sign errors -> absolute value;
      values above ``max_distance_km`` (999, 5000, 9999 codes) -> NaN;
    * ``traffic_index``: outside the documented 0-10 range -> NaN;
    * ``driver_experience_yrs``: negative years are impossible -> NaN;
    * ``driver_rating``: outside the 1-5 scale -> NaN;
    * ``parcel_weight``: unit strings parsed to ``parcel_weight_kg``;
    * ``express``: boolean spellings mapped to 0/1;
    * ``order_datetime``: parsed to a timestamp (unparseable -> NaT).

    Missing values are *not* filled here; imputation is part of the fitted
    model pipeline.
    """
    cleaned = frame.copy()

    for column in CATEGORICAL_TEXT_COLUMNS:
        cleaned[column] = normalise_category(cleaned[column])

    for column in NUMERIC_COLUMNS:
        cleaned[column] = pd.to_numeric(cleaned[column], errors="coerce").astype(float)

    n_negative = int((cleaned["distance_km"] < 0).sum())
    if n_negative:
        logger.info("distance_km: %d negative values treated as sign errors", n_negative)
    cleaned["distance_km"] = _to_nan_outside(
        cleaned["distance_km"].abs(), 0.0, config.max_distance_km, "distance_km"
    )
    cleaned["traffic_index"] = _to_nan_outside(
        cleaned["traffic_index"], 0.0, config.max_traffic_index, "traffic_index"
    )
    cleaned["driver_experience_yrs"] = _to_nan_outside(
        cleaned["driver_experience_yrs"], 0.0, np.inf, "driver_experience_yrs"
    )
    cleaned["driver_rating"] = _to_nan_outside(cleaned["driver_rating"], 1.0, 5.0, "driver_rating")
    cleaned["num_items"] = _to_nan_outside(cleaned["num_items"], 1.0, np.inf, "num_items")

    cleaned["parcel_weight_kg"] = parse_weight_kg(cleaned["parcel_weight"])
    cleaned["express"] = parse_boolean(cleaned["express"])
    cleaned["order_datetime"] = pd.to_datetime(
        cleaned["order_datetime"], format="%Y-%m-%d %H:%M:%S", errors="coerce"
    )
    n_bad_dates = int(cleaned["order_datetime"].isna().sum())
    if n_bad_dates:
        logger.warning("order_datetime: %d values could not be parsed", n_bad_dates)

    return cleaned.drop(columns=["parcel_weight"])
