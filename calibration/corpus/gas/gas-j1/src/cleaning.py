"""Row-level corrections that do not learn anything from the data.

Every rule here is a fixed, documented correction derived from the EDA (eda.ipynb, section 3),
so it can be applied identically to the training rows and to the holdout rows before the split
without leaking information. Anything that *is* learnt from data (imputation medians, scaling)
lives in the scikit-learn pipeline in features.py and is fitted on training folds only.
"""
from __future__ import annotations

import logging
import re

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

NUMERIC_COLUMNS = [
    "Temperature", "Humidity", "CO2_InfraredSensor", "CO2_ElectroChemicalSensor",
    "MetalOxideSensor_Unit1", "MetalOxideSensor_Unit2", "MetalOxideSensor_Unit3",
    "MetalOxideSensor_Unit4",
]
CATEGORICAL_COLUMNS = ["Time of Day", "HVAC Operation Mode", "Ambient Light Level"]

# CO_GasSensor is an ordered reading, so it is mapped to ranks rather than one-hot encoded.
CO_LEVELS = {"extremely low": 0, "low": 1, "medium": 2, "high": 3, "extremely high": 4}
TARGET_CLASSES = ("High Activity", "Low Activity", "Moderate Activity")


def normalise_label(value: object) -> object:
    """Map spelling variants such as 'LowActivity' or 'Low_Activity' to 'Low Activity'."""
    if not isinstance(value, str):
        return value
    text = value.strip().replace("_", " ")
    text = re.sub(r"(?<=[a-z])(?=Activity)", " ", text)  # 'LowActivity' -> 'Low Activity'
    return " ".join(word.capitalize() for word in text.split())


def coerce_numeric(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Convert sensor columns to float; unparsable cells become NaN and are reported."""
    for col in columns:
        converted = pd.to_numeric(frame[col], errors="coerce")
        n_bad = int(converted.isna().sum() - frame[col].isna().sum())
        if n_bad:
            logger.warning("%s: %d non-numeric value(s) set to missing", col, n_bad)
        frame[col] = converted.astype(float)
    return frame


def clean_frame(frame: pd.DataFrame, cleaning_cfg: dict, target: str | None = None) -> pd.DataFrame:
    """Apply the fixed corrections found in the EDA and return a new frame.

    * Temperature: ~8% of readings are in Kelvin (a separate mode at 287-299); convert them.
    * Humidity outside 0-100 % is physically impossible (uniform noise, not sign flips): set missing.
    * Negative CO2 (infrared) concentrations are sensor faults: set missing.
    * Category spellings are lower-cased and stripped ('Heating_Active' == 'heating_active').
    * CO_GasSensor is mapped to its rank 0-4; unknown levels become missing.
    """
    frame = frame.copy()
    frame = coerce_numeric(frame, NUMERIC_COLUMNS)

    kelvin = frame["Temperature"] > cleaning_cfg["kelvin_threshold"]
    frame.loc[kelvin, "Temperature"] -= 273.15
    logger.info("Temperature: converted %d Kelvin readings to Celsius", int(kelvin.sum()))

    low, high = cleaning_cfg["humidity_valid_range"]
    bad_humidity = ~frame["Humidity"].between(low, high) & frame["Humidity"].notna()
    frame.loc[bad_humidity, "Humidity"] = np.nan
    logger.info("Humidity: %d readings outside [%s, %s] set to missing", int(bad_humidity.sum()), low, high)

    bad_co2 = frame["CO2_InfraredSensor"] < cleaning_cfg["co2_infrared_min"]
    frame.loc[bad_co2, "CO2_InfraredSensor"] = np.nan
    logger.info("CO2_InfraredSensor: %d negative readings set to missing", int(bad_co2.sum()))

    for col in CATEGORICAL_COLUMNS:
        frame[col] = frame[col].astype("object").where(frame[col].notna(), None)
        frame[col] = frame[col].map(lambda v: v.strip().lower() if isinstance(v, str) else v)

    co_text = frame["CO_GasSensor"].map(lambda v: v.strip().lower() if isinstance(v, str) else v)
    frame["CO_GasSensor"] = co_text.map(CO_LEVELS).astype(float)
    unknown_co = co_text.notna() & frame["CO_GasSensor"].isna()
    if unknown_co.any():
        logger.warning("CO_GasSensor: %d unknown level(s) set to missing", int(unknown_co.sum()))

    if target is not None and target in frame.columns:
        frame[target] = frame[target].map(normalise_label)
        unexpected = set(frame[target].dropna().unique()) - set(TARGET_CLASSES)
        if unexpected:
            raise ValueError(f"unexpected target label(s) after normalisation: {sorted(unexpected)}")
    return frame


def drop_duplicate_readings(frame: pd.DataFrame, id_column: str) -> pd.DataFrame:
    """Drop rows that repeat another row in every column except the record id (training only)."""
    subset = [col for col in frame.columns if col != id_column]
    before = len(frame)
    frame = frame.drop_duplicates(subset=subset).reset_index(drop=True)
    logger.info("dropped %d duplicated readings", before - len(frame))
    return frame
