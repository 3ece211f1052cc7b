"""Row-level corrections for known data-quality issues (stateless, safe for any split)."""
from __future__ import annotations

import logging
import re

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

CLASS_LABELS: tuple[str, ...] = ("Low Activity", "Moderate Activity", "High Activity")
_CANONICAL = {re.sub(r"[^a-z]", "", label.lower()): label for label in CLASS_LABELS}


def normalise_target(labels: pd.Series) -> pd.Series:
    """Map spelling variants (LowActivity, Low_Activity, ...) to the three canonical labels."""
    keys = labels.astype("string").str.lower().str.replace(r"[^a-z]", "", regex=True)
    mapped = keys.map(_CANONICAL)
    unknown = labels[mapped.isna() & labels.notna()].unique()
    if len(unknown):
        logger.warning("Unrecognised target labels dropped: %s", list(unknown)[:10])
    return mapped


def fix_sensor_values(
    frame: pd.DataFrame, kelvin_threshold: float, humidity_range: tuple[float, float], min_co2: float
) -> pd.DataFrame:
    """Convert Kelvin temperatures and blank physically impossible readings."""
    frame = frame.copy()
    kelvin = frame["Temperature"] > kelvin_threshold
    frame.loc[kelvin, "Temperature"] -= 273.15

    low, high = humidity_range
    bad_humidity = ~frame["Humidity"].between(low, high) & frame["Humidity"].notna()
    frame.loc[bad_humidity, "Humidity"] = np.nan

    bad_co2 = frame["CO2_InfraredSensor"] < min_co2
    frame.loc[bad_co2, "CO2_InfraredSensor"] = np.nan

    logger.info(
        "Sensor fixes: %d Kelvin converted, %d humidity blanked, %d CO2 blanked",
        int(kelvin.sum()), int(bad_humidity.sum()), int(bad_co2.sum()),
    )
    return frame


def normalise_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """Lower-case and trim the free-text categorical columns."""
    frame = frame.copy()
    for column in ("Time of Day", "HVAC Operation Mode", "CO_GasSensor", "Ambient Light Level"):
        values = frame[column].astype("string").str.strip().str.lower()
        # object dtype with np.nan keeps scikit-learn encoders happy (pd.NA is not supported)
        frame[column] = values.astype(object).where(values.notna(), np.nan)
    return frame


def drop_duplicate_records(frame: pd.DataFrame, id_column: str) -> pd.DataFrame:
    """Remove rows identical in every column except the record id."""
    subset = [c for c in frame.columns if c != id_column]
    deduped = frame.drop_duplicates(subset=subset)
    logger.info("Dropped %d duplicate rows", len(frame) - len(deduped))
    return deduped
