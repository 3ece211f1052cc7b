"""Cleaning rules and derived attributes.

``sanitise`` fixes each row on its own (no dataset statistics), so running it
before the split cannot leak anything. Medians, scaling and one-hot levels are
learnt later, inside the sklearn column transformer from ``make_column_prep``.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from src.settings import SanityLimits

log = logging.getLogger(__name__)

TEXT_FIELDS: tuple[str, ...] = ("region", "vehicle_type", "weather", "customer_tier")
NUMBER_FIELDS: tuple[str, ...] = (
    "distance_km",
    "num_items",
    "driver_experience_yrs",
    "driver_rating",
    "traffic_index",
)

_YES = frozenset({"1", "1.0", "true", "t", "yes", "y"})
_NO = frozenset({"0", "0.0", "false", "f", "no", "n"})
_WEIGHT_RE = r"^\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>kg|g)?\s*$"
_G_IN_KG = 1000.0

PEAK_HOURS: frozenset[int] = frozenset({7, 8, 9, 17, 18, 19})
ROUGH_WEATHER: tuple[str, ...] = ("haze", "rain", "storm")
FIRST_WEEKEND_DAY = 5
FILL_LABEL = "unknown"

NUMERIC_INPUTS: list[str] = [
    "distance_km",
    "parcel_weight_kg",
    "num_items",
    "driver_experience_yrs",
    "driver_rating",
    "traffic_index",
    "order_hour",
    "peak_flag",
    "weekend_flag",
    "express",
    *[f"{w}_distance" for w in ROUGH_WEATHER],
]
NOMINAL_INPUTS: list[str] = ["region", "vehicle_type", "weather", "customer_tier"]


# --------------------------------------------------------------------------- cleaning


def yes_no_to_float(col: pd.Series) -> pd.Series:
    """'Yes', 'TRUE', '1', 'no'... -> 1.0 / 0.0; anything else NaN."""
    tok = col.astype("string").str.strip().str.lower()
    out = pd.Series(np.nan, index=col.index, dtype=float)
    out[tok.isin(_YES).fillna(False).astype(bool)] = 1.0
    out[tok.isin(_NO).fillna(False).astype(bool)] = 0.0
    return out


def tidy_text(col: pd.Series) -> pd.Series:
    # trim + lower so that ' North ' and 'north' collapse; '' counts as missing
    tidy = col.astype("string").str.strip().str.lower().replace("", pd.NA)
    return tidy.astype(object).where(tidy.notna(), np.nan)  # imputers want np.nan


def weight_to_kg(col: pd.Series) -> pd.Series:
    """Parse '2.4 kg' / '850g' into kilograms (no unit = kg, garbage = NaN)."""
    txt = col.astype("string").str.lower()
    bits = txt.str.extract(_WEIGHT_RE)
    number = pd.to_numeric(bits["value"], errors="coerce")
    grams = bits["unit"].eq("g").fillna(False).astype(bool)
    kg = number.where(~grams, number / _G_IN_KG).astype(float)

    bad = int((txt.notna() & kg.isna()).sum())
    if bad:
        log.warning("parcel_weight: %d unreadable entries -> NaN", bad)
    return kg


def _iqr_bounds(col: pd.Series, k: float = 1.5) -> tuple[float, float]:
    q1, q3 = col.quantile([0.25, 0.75])
    spread = q3 - q1
    return q1 - k * spread, q3 + k * spread


def _blank_out_of_range(col: pd.Series, lo: float, hi: float, label: str) -> pd.Series:
    wrong = col.notna() & ~col.between(lo, hi)
    if wrong.any():
        log.info("%s: blanked %d out-of-range values", label, int(wrong.sum()))
    return col.mask(wrong)


def remove_repeats(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop fully identical rows (training data only; hold-out keeps every row)."""
    before = len(frame)
    unique = frame.drop_duplicates().reset_index(drop=True)
    log.info("removed %d repeated rows", before - len(unique))
    return unique


def sanitise(frame: pd.DataFrame, limits: SanityLimits) -> pd.DataFrame:
    """Fix the raw table: text case, numeric types, sign errors, impossible values,
    weight units, boolean spellings and timestamps. Gaps stay NaN for the imputer."""
    out = frame.copy()
    _scratch = len(out)

    for name in TEXT_FIELDS:
        out[name] = tidy_text(out[name])
    for name in NUMBER_FIELDS:
        out[name] = pd.to_numeric(out[name], errors="coerce").astype(float)

    flipped = int((out["distance_km"] < 0).sum())
    if flipped:
        log.info("distance_km: %d negative readings flipped", flipped)
    out["distance_km"] = _blank_out_of_range(
        out["distance_km"].abs(), 0.0, limits.distance_cap_km, "distance_km"
    )
    out["traffic_index"] = _blank_out_of_range(
        out["traffic_index"], 0.0, limits.traffic_cap, "traffic_index"
    )
    out["driver_experience_yrs"] = _blank_out_of_range(
        out["driver_experience_yrs"], 0.0, np.inf, "driver_experience_yrs"
    )
    out["driver_rating"] = _blank_out_of_range(out["driver_rating"], 1.0, 5.0, "driver_rating")
    out["num_items"] = _blank_out_of_range(out["num_items"], 1.0, np.inf, "num_items")

    out["parcel_weight_kg"] = weight_to_kg(out["parcel_weight"])
    out["express"] = yes_no_to_float(out["express"])
    out["order_datetime"] = pd.to_datetime(
        out["order_datetime"], format="%Y-%m-%d %H:%M:%S", errors="coerce"
    )
    no_date = int(out["order_datetime"].isna().sum())
    if no_date:
        log.warning("order_datetime: %d unparseable timestamps", no_date)

    return out.drop(columns=["parcel_weight"])


# ------------------------------------------------------------------------- attributes


def make_column_prep() -> ColumnTransformer:
    """Unfitted transformer: median fill (+ indicator) and scaling for numbers,
    constant fill and one-hot (unknown levels ignored) for nominal columns."""
    nums = Pipeline(
        steps=[
            ("fill", SimpleImputer(strategy="median", add_indicator=True)),
            ("std", StandardScaler()),
        ]
    )
    cats = Pipeline(
        steps=[
            ("fill", SimpleImputer(strategy="constant", fill_value=FILL_LABEL)),
            ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
        ]
    )
    return ColumnTransformer(
        transformers=[("nums", nums, NUMERIC_INPUTS), ("cats", cats, NOMINAL_INPUTS)],
        remainder="drop",
        verbose_feature_names_out=False,
    )


def make_attributes(clean: pd.DataFrame) -> pd.DataFrame:
    """Add hour, peak-hour and weekend flags and weather-specific distances."""
    table = clean.copy()
    stamp = table["order_datetime"]
    hr = stamp.dt.hour
    table["order_hour"] = hr.astype(float)
    table["peak_flag"] = hr.isin(PEAK_HOURS).astype(float).where(hr.notna())
    table["weekend_flag"] = (stamp.dt.day_of_week >= FIRST_WEEKEND_DAY).astype(float).where(
        hr.notna()
    )

    # missing weather is its own level, it does not behave like 'clear'
    table["weather"] = table["weather"].fillna(FILL_LABEL)
    for w in ROUGH_WEATHER:
        table[f"{w}_distance"] = table["distance_km"] * (table["weather"] == w).astype(float)

    return table[NUMERIC_INPUTS + NOMINAL_INPUTS]
