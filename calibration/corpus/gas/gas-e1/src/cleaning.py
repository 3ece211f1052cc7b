"""Row-level corrections of erroneous values found in the EDA (eda.ipynb, section 3).

Everything here is *stateless*: each rule looks at one row only, so it can be applied to the
training data and to the holdout in exactly the same way without leaking anything. Imputation
of the values these rules blank out happens later, inside the sklearn pipeline, so it is fitted
on training folds only.
"""
from __future__ import annotations

import logging
import re

import numpy as np
import pandas as pd

from src.data import GROUP_COL, ID_COL, TARGET

log = logging.getLogger(__name__)

CLASSES = ["High Activity", "Low Activity", "Moderate Activity"]

HVAC_MODES = {"off", "eco_mode", "heating_active", "cooling_active", "ventilation_only", "maintenance_mode"}


def normalise_label(value: str) -> str | float:
    """Map the target spellings (``Low_Activity``, ``LowActivity`` ...) to the 3 canonical classes."""
    if value is None or pd.isna(value):
        return np.nan
    key = re.sub(r"[^a-z]", "", str(value).lower())  # 'low_activity' -> 'lowactivity'
    for cls in CLASSES:
        if key == cls.replace(" ", "").lower():
            return cls
    return np.nan


def normalise_token(series: pd.Series) -> pd.Series:
    """Lower-case and trim a text column, so 'Heating_Active' and 'HEATING_ACTIVE' become one value."""
    return series.astype("string").str.strip().str.lower().str.replace(r"[\s\-]+", "_", regex=True)


def fix_temperature(temp: pd.Series, kelvin_threshold: float) -> pd.Series:
    """Convert readings logged in Kelvin to Celsius.

    EDA: two clean clusters, 14.9-26.0 and 288.5-298.9. The second is the first plus 273.15,
    so it is a unit problem, not an outlier; converting keeps ~8% of rows intact.
    """
    is_kelvin = temp > kelvin_threshold
    log.info("temperature: %d readings converted from Kelvin", int(is_kelvin.sum()))
    return temp.where(~is_kelvin, temp - 273.15)


def blank_out_of_range(series: pd.Series, low: float | None, high: float | None, name: str) -> pd.Series:
    """Set physically impossible values to NaN so the imputer treats them like missing readings."""
    bad = pd.Series(False, index=series.index)
    if low is not None:
        bad |= series < low
    if high is not None:
        bad |= series > high
    if bad.any():
        log.info("%s: %d impossible values set to NaN", name, int(bad.sum()))
    return series.mask(bad)


def clean_frame(df: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    """Apply every value correction; used for training rows and holdout rows alike."""
    c = cfg["cleaning"]
    out = df.copy()
    out["Temperature"] = fix_temperature(out["Temperature"], c["kelvin_threshold"])
    # Relative humidity outside 0-100 % cannot happen; the bad values (-50..-1 and 101..200)
    # do not map back to plausible readings by any simple rule, so they are treated as missing.
    lo, hi = c["humidity_range"]
    out["Humidity"] = blank_out_of_range(out["Humidity"], lo, hi, "humidity")
    # 18 negative IR CO2 readings (-14.7..-0.8); the valid distribution starts around 12.
    out["CO2_InfraredSensor"] = blank_out_of_range(out["CO2_InfraredSensor"], c["co2_ir_min"], None, "CO2 IR")

    for col in ["Time of Day", "CO_GasSensor", "HVAC Operation Mode", "Ambient Light Level"]:
        out[col] = normalise_token(out[col])
    unknown_hvac = ~out["HVAC Operation Mode"].isin(HVAC_MODES) & out["HVAC Operation Mode"].notna()
    if unknown_hvac.any():
        log.warning("HVAC mode: %d rows with an unknown mode, kept as their own category", int(unknown_hvac.sum()))
    return out


def prepare_training_frame(df: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    """Clean the labelled table: normalise the target, drop unusable labels and duplicates."""
    out = clean_frame(df, cfg)
    out[TARGET] = out[TARGET].map(normalise_label)
    n_bad = int(out[TARGET].isna().sum())
    if n_bad:
        log.warning("dropping %d rows with an unrecognised target label", n_bad)
        out = out[out[TARGET].notna()]

    # Duplicates: identical rows that differ only by Record ID (same session, same readings).
    # They are removed *before* the split so a copy cannot sit on both sides.
    value_cols = [col for col in out.columns if col != ID_COL]
    n_before = len(out)
    out = out.drop_duplicates(subset=value_cols, keep="first")
    log.info("removed %d duplicate rows", n_before - len(out))
    if out[GROUP_COL].nunique() < 2:
        raise ValueError("need at least two sessions to build a grouped split")
    return out.reset_index(drop=True)
