"""Row-wise corrections of erroneous values found in the EDA (notebook sections 3-4).

Nothing here is *fitted*: every rule is a fixed transformation of a single row, so it is safe
to apply before the train/test split and identically at inference time. Imputation (which
learns statistics) lives inside the scikit-learn pipeline instead.
"""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)

TARGET_CLASSES = ["High Activity", "Low Activity", "Moderate Activity"]


def normalise_target(labels: pd.Series) -> pd.Series:
    """Map spelling variants ('LowActivity', 'Low_Activity') onto the three official classes."""
    compact = labels.astype(str).str.replace(r"[\s_]+", "", regex=True).str.lower()
    mapping = {cls.replace(" ", "").lower(): cls for cls in TARGET_CLASSES}
    fixed = compact.map(mapping)
    unknown = labels[fixed.isna()].unique()
    if len(unknown):
        log.warning("dropping rows with unrecognised target value(s): %s", list(unknown))
    return fixed


def fix_sensor_errors(frame: pd.DataFrame, kelvin_threshold: float, humidity_max: float) -> pd.DataFrame:
    """Correct unit and range errors in the physical sensors.

    * Temperature: 601 rows sit between 288 and 299 - the room range 15-26 degC plus 273.15,
      i.e. Kelvin. They are converted back, not dropped.
    * Humidity outside 0-100 % cannot be a relative humidity; there is no obvious conversion
      (values spread from -50 to 200), so they become missing and are imputed.
    * A negative CO2 concentration is a sensor fault; also set to missing.
    """
    frame = frame.copy()
    kelvin = frame["Temperature"] > kelvin_threshold
    frame.loc[kelvin, "Temperature"] = frame.loc[kelvin, "Temperature"] - 273.15

    bad_humidity = (frame["Humidity"] > humidity_max) | (frame["Humidity"] < 0)
    frame.loc[bad_humidity, "Humidity"] = np.nan

    bad_co2 = frame["CO2_InfraredSensor"] < 0
    frame.loc[bad_co2, "CO2_InfraredSensor"] = np.nan

    log.info(
        "sensor fixes: %d Kelvin temperatures converted, %d humidity and %d CO2 values set missing",
        kelvin.sum(), bad_humidity.sum(), bad_co2.sum(),
    )
    return frame


def normalise_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """Lower-case and trim the text columns ('COOLING_ACTIVE', 'Off' -> 'cooling_active', 'off')."""
    frame = frame.copy()
    for col in ["Time of Day", "CO_GasSensor", "HVAC Operation Mode", "Ambient Light Level"]:
        text = frame[col].astype(str).str.strip().str.lower()
        frame[col] = text.where(frame[col].notna())
    return frame


def clean(frame: pd.DataFrame, cfg: dict, target: str | None = None) -> pd.DataFrame:
    """Apply every row-wise correction; with `target` given also fix labels and de-duplicate."""
    frame = fix_sensor_errors(frame, cfg["kelvin_threshold"], cfg["humidity_max"])
    frame = normalise_categories(frame)
    if target is not None:
        frame[target] = normalise_target(frame[target])
        frame = frame.dropna(subset=[target])
        if cfg.get("drop_duplicates", True):
            # identical sensor readings with a different Record ID are the same measurement
            # logged twice (97 rows); keeping them would put copies on both sides of a split
            subset = [c for c in frame.columns if c != "Record ID"]
            n_before = len(frame)
            frame = frame.drop_duplicates(subset=subset)
            log.info("removed %d duplicated measurements", n_before - len(frame))
    return frame.reset_index(drop=True)
