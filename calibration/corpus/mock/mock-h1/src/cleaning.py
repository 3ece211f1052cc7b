"""Row-level cleaning rules derived from the EDA (see eda.ipynb, section 3).

Every rule here is stateless: it looks at one row at a time and learns nothing
from the data, so the same function is safe to apply to the training table and
to the holdout before the split. Anything that *learns* a statistic (medians for
imputation, category lists) lives in `features.build_preprocessor` and is fitted
inside the model pipeline, after the split.
"""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

NUMERIC_COLUMNS = ["distance_km", "num_items", "driver_experience_yrs", "driver_rating", "traffic_index"]

# distance: 999 / 5000 / 9999 are placeholder codes (EDA 3.2); real routes stop near 52 km
MAX_PLAUSIBLE_KM = 100.0
# traffic index is documented as 0-10; the 49 values in 25-96 look like a x10 scale slip (EDA 3.3)
TRAFFIC_MAX = 10.0
TRAFFIC_SCALE_ERROR_MAX = 100.0
TRUE_TOKENS = {"1", "true", "yes", "y", "t"}
FALSE_TOKENS = {"0", "false", "no", "n", "f"}


def _normalise_text(series: pd.Series) -> pd.Series:
    """Lower-case and strip a categorical column ('  NORTH' and 'north' are one region)."""
    return series.astype("string").str.strip().str.lower()


def coerce_numeric(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Convert columns to float; unparseable cells become NaN and are reported."""
    out = df.copy()
    for col in columns:
        converted = pd.to_numeric(out[col], errors="coerce")
        n_bad = int(converted.isna().sum() - out[col].isna().sum())
        if n_bad > 0:
            logger.warning("%s: %d non-numeric value(s) set to missing", col, n_bad)
        out[col] = converted.astype(float)
    return out


def parse_weight_kg(series: pd.Series) -> pd.Series:
    """Parse '2.9kg', '3180g', '1.3 kg' into kilograms; anything else becomes NaN."""
    parts = series.astype("string").str.strip().str.lower().str.extract(r"^([0-9]*\.?[0-9]+)\s*(kg|g)?$")
    value = pd.to_numeric(parts[0], errors="coerce")
    # grams are converted; a bare number is assumed to be kg (the depot default)
    factor = np.where(parts[1].fillna("kg") == "g", 0.001, 1.0)
    return (value * factor).astype(float)


def parse_express(series: pd.Series) -> pd.Series:
    """Map the ten spellings of the express flag (Yes/TRUE/1/no/...) to 1.0 / 0.0."""
    token = _normalise_text(series)
    out = pd.Series(np.nan, index=series.index, dtype=float)
    out[token.isin(TRUE_TOKENS)] = 1.0
    out[token.isin(FALSE_TOKENS)] = 0.0
    return out


def clean_deliveries(df: pd.DataFrame) -> pd.DataFrame:
    """Apply all row-level corrections and return a new frame with clean types."""
    out = coerce_numeric(df, NUMERIC_COLUMNS)

    for col in ("region", "vehicle_type", "weather", "customer_tier"):
        out[col] = _normalise_text(out[col])

    out["parcel_weight_kg"] = parse_weight_kg(out["parcel_weight"])
    out["express"] = parse_express(out["express"])
    out["order_datetime"] = pd.to_datetime(out["order_datetime"], errors="coerce")
    n_bad_dates = int(out["order_datetime"].isna().sum())
    if n_bad_dates:
        logger.warning("order_datetime: %d unparseable timestamp(s)", n_bad_dates)

    # Negative distances and experience have the same shape as the positive values
    # (EDA 3.2, 3.4): a sign error at capture, so keep the magnitude.
    out["distance_km"] = out["distance_km"].abs()
    out.loc[out["distance_km"] > MAX_PLAUSIBLE_KM, "distance_km"] = np.nan
    out["driver_experience_yrs"] = out["driver_experience_yrs"].abs()

    scaled = (out["traffic_index"] > TRAFFIC_MAX) & (out["traffic_index"] <= TRAFFIC_SCALE_ERROR_MAX)
    out.loc[scaled, "traffic_index"] = out.loc[scaled, "traffic_index"] / 10.0
    out.loc[out["traffic_index"] > TRAFFIC_MAX, "traffic_index"] = np.nan

    # rating is documented as 1-5; anything outside is treated as missing
    out.loc[~out["driver_rating"].between(1, 5), "driver_rating"] = np.nan
    return out.drop(columns=["parcel_weight"])


def drop_duplicates(df: pd.DataFrame, id_column: str) -> pd.DataFrame:
    """Remove repeated deliveries (same id) so that no copy ends up on both sides of the split."""
    before = len(df)
    out = df.drop_duplicates(subset=id_column, keep="first").reset_index(drop=True)
    if before - len(out):
        logger.info("Dropped %d duplicated delivery id(s)", before - len(out))
    return out
