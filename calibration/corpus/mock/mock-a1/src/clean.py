"""Stage 2: row-level cleaning of the raw deliveries data.

Only deterministic, label-free corrections live here (the same rule applies to
one row whether it is in training or in the holdout). Anything that learns a
statistic from the data, such as median imputation, is done later inside the
sklearn Pipeline so that it is fitted on the training folds only.

Each rule below comes from a finding in eda.ipynb (section numbers in brackets).
"""
from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

from src.errors import DataValidationError
from src.ingest import TARGET

logger = logging.getLogger(__name__)

NUMERIC_COLUMNS = ["distance_km", "num_items", "driver_experience_yrs", "driver_rating", "traffic_index"]
CATEGORICAL_COLUMNS = ["region", "vehicle_type", "weather", "customer_tier"]

# express is stored in ten spellings of yes/no (EDA 3.4)
EXPRESS_TRUE = {"1", "true", "yes", "y"}
EXPRESS_FALSE = {"0", "false", "no", "n"}


def coerce_numeric(df: pd.DataFrame, columns: list[str], is_training: bool) -> pd.DataFrame:
    """Convert columns to float, turning unparseable cells into NaN with a warning.

    A handful of bad cells are imputed later. A column with no parseable value at
    all in the training data means the extract is broken, so we stop instead of
    training on an imputed constant.
    """
    for col in columns:
        before = df[col].notna()
        converted = pd.to_numeric(df[col], errors="coerce")
        n_bad = int((before & converted.isna()).sum())
        if n_bad:
            logger.warning("%s: %d non-numeric value(s) set to missing", col, n_bad)
        if is_training and converted.notna().sum() == 0:
            raise DataValidationError(f"column '{col}' has no numeric values; cannot train on it")
        df[col] = converted.astype(float)
    return df


def normalise_category(series: pd.Series) -> pd.Series:
    """Strip whitespace and lower-case ('  NORTH ' -> 'north'); EDA 3.3 found 5 spellings per region."""
    return series.astype("string").str.strip().str.lower().replace("", pd.NA)


def parse_weight_kg(series: pd.Series) -> pd.Series:
    """Parse '2.9kg', '2.9 kg', '3180g', '1740 g' into kilograms (EDA 3.1).

    Values without a recognised unit become NaN and are imputed later.
    """
    text = series.astype("string").str.strip().str.lower()
    parts = text.str.extract(r"^(?P<value>[0-9]*\.?[0-9]+)\s*(?P<unit>kg|g)$")
    value = pd.to_numeric(parts["value"], errors="coerce")
    is_grams = (parts["unit"] == "g").fillna(False).to_numpy(dtype=bool)
    result = pd.Series(np.where(is_grams, value / 1000.0, value), index=series.index, dtype=float)
    n_unparsed = int((text.notna() & result.isna()).sum())
    if n_unparsed:
        logger.warning("parcel_weight: %d value(s) with an unknown format set to missing", n_unparsed)
    return result


def parse_express(series: pd.Series) -> pd.Series:
    """Map the yes/no spellings of `express` to 1/0; anything else becomes NaN."""
    text = series.astype("string").str.strip().str.lower()
    out = pd.Series(np.nan, index=series.index, dtype=float)
    out[text.isin(EXPRESS_TRUE)] = 1.0
    out[text.isin(EXPRESS_FALSE)] = 0.0
    return out


def fix_distance(series: pd.Series, sentinels: list[float], max_km: float) -> pd.Series:
    """Correct distance_km (EDA 3.2).

    * 999 / 5000 / 9999 are placeholders, not routes: set to NaN.
    * Negative distances have the same distribution as the positive ones once
      the sign is flipped, so they are sign errors: take the absolute value.
    * Anything still above `max_km` is implausible for last-mile: set to NaN.
    """
    s = series.copy()
    s[s.isin(sentinels)] = np.nan
    s = s.abs()
    s[s > max_km] = np.nan
    return s


def fix_traffic(series: pd.Series, max_index: float) -> pd.Series:
    """traffic_index is 0-10; the 49 values in 25-96 look like the same index x10 (EDA 3.2)."""
    return series.where(series <= max_index, series / 10.0)


def fix_experience(series: pd.Series, max_years: float) -> pd.Series:
    """Negative experience is a sign error (mirror of the positive distribution); > max_years is NaN."""
    s = series.abs()
    return s.where(s <= max_years)


def clean(df: pd.DataFrame, cfg: dict[str, Any], is_training: bool) -> pd.DataFrame:
    """Apply every row-level correction; on training data also de-duplicate and check the target."""
    rules = cfg["cleaning"]
    df = df.copy()
    df = coerce_numeric(df, NUMERIC_COLUMNS, is_training)

    for col in CATEGORICAL_COLUMNS:
        df[col] = normalise_category(df[col])
    df["parcel_weight_kg"] = parse_weight_kg(df["parcel_weight"])
    df["express"] = parse_express(df["express"])
    df["distance_km"] = fix_distance(df["distance_km"], rules["distance_sentinels"],
                                     rules["max_plausible_distance_km"])
    df["traffic_index"] = fix_traffic(df["traffic_index"], rules["traffic_index_max"])
    df["driver_experience_yrs"] = fix_experience(df["driver_experience_yrs"],
                                                 rules["max_plausible_experience_yrs"])
    df["order_datetime"] = pd.to_datetime(df["order_datetime"], errors="coerce")
    n_bad_dates = int(df["order_datetime"].isna().sum())
    if n_bad_dates:
        logger.warning("order_datetime: %d unparseable value(s)", n_bad_dates)
    df = df.drop(columns=["parcel_weight"])

    if is_training:
        n_before = len(df)
        # 120 rows are exact copies, id included (EDA 3.5); keep one of each
        df = df.drop_duplicates()
        df = df.drop_duplicates(subset="delivery_id", keep="first")
        target = pd.to_numeric(df[TARGET], errors="coerce")
        valid = target.isin([0, 1])
        if (~valid).any():
            logger.warning("dropping %d row(s) with a missing or invalid target", int((~valid).sum()))
        df = df[valid].assign(**{TARGET: target[valid].astype(int)})
        logger.info("cleaning kept %d of %d training rows", len(df), n_before)
        if df[TARGET].nunique() < 2:
            raise DataValidationError("the target has a single class after cleaning; cannot train")
        if len(df) < 100:
            raise DataValidationError(f"only {len(df)} usable training rows after cleaning")
    return df.reset_index(drop=True)
