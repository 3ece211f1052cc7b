"""Cleaning rules for the gas monitoring data.

Every rule here comes from a problem found in eda.ipynb. The same `clean` function
is used for the training data and for the holdout data, so both are treated alike.
Nothing in this module learns from the data (no means, no medians): imputation and
scaling are done later inside the sklearn Pipeline, fitted on the training split only.
"""
import logging

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

SENSOR_COLUMNS = [
    "Temperature", "Humidity", "CO2_InfraredSensor", "CO2_ElectroChemicalSensor",
    "MetalOxideSensor_Unit1", "MetalOxideSensor_Unit2",
    "MetalOxideSensor_Unit3", "MetalOxideSensor_Unit4",
]

# Indoor temperatures are ~15-26 C; values above this are Kelvin (EDA: 288-299 K cluster, ~8% of rows)
KELVIN_THRESHOLD = 200.0
KELVIN_OFFSET = 273.15

# Relative humidity is a percentage; values outside [0, 100] are impossible (EDA: ~5% of rows)
HUMIDITY_RANGE = (0.0, 100.0)

CLASS_LABELS = ["Low Activity", "Moderate Activity", "High Activity"]


def normalise_target(series):
    """Map the 6 spellings of the target (e.g. 'LowActivity', 'Low_Activity') to 3 labels."""
    key = series.astype("string").str.lower().str.replace(r"[\s_]+", "", regex=True)
    mapping = {label.lower().replace(" ", ""): label for label in CLASS_LABELS}
    normalised = key.map(mapping)
    unknown = normalised.isna() & series.notna()
    if unknown.any():
        logger.warning("Dropping %d rows with unknown target values: %s",
                       unknown.sum(), series[unknown].unique()[:5].tolist())
    return normalised


def _coerce_numeric(df):
    """Force the sensor columns to numbers; text cells become NaN (imputed later)."""
    for col in SENSOR_COLUMNS:
        converted = pd.to_numeric(df[col], errors="coerce")
        n_bad = converted.isna().sum() - df[col].isna().sum()
        if n_bad > 0:
            logger.warning("%s: %d non-numeric values set to missing", col, n_bad)
        df[col] = converted
    return df


def _normalise_text(df):
    """Lower-case and trim the text columns (HVAC mode has 23 case variants of 6 modes)."""
    for col in ["Time of Day", "CO_GasSensor", "Ambient Light Level", "HVAC Operation Mode"]:
        df[col] = df[col].astype("string").str.strip().str.lower().str.replace(" ", "_")
    return df


def _fix_sensor_errors(df):
    # Kelvin -> Celsius
    kelvin = df["Temperature"] > KELVIN_THRESHOLD
    df.loc[kelvin, "Temperature"] = df.loc[kelvin, "Temperature"] - KELVIN_OFFSET

    # Impossible humidity: the bad values are spread uniformly from -50 to 200,
    # so they look like corrupted readings rather than a shifted unit -> set missing.
    low, high = HUMIDITY_RANGE
    bad_humidity = (df["Humidity"] < low) | (df["Humidity"] > high)
    df.loc[bad_humidity, "Humidity"] = np.nan

    # Gas concentrations cannot be negative (EDA: 22 negative CO2 infrared readings)
    gas_cols = [c for c in SENSOR_COLUMNS if c not in ("Temperature", "Humidity")]
    negative = df[gas_cols] < 0
    df[gas_cols] = df[gas_cols].mask(negative)

    logger.info("Fixed %d Kelvin temperatures, %d impossible humidity values, %d negative gas readings",
                kelvin.sum(), bad_humidity.sum(), int(negative.sum().sum()))
    return df


def clean(df, target=None, id_column=None, drop_duplicates=False):
    """Apply all cleaning rules and return a new DataFrame.

    target: name of the target column, normalised when present (training data).
    drop_duplicates: only for training data; the holdout needs one prediction per row.
    """
    df = df.copy()

    if drop_duplicates:
        # duplicates are identical apart from the added row id
        subset = [c for c in df.columns if c != id_column]
        n_before = len(df)
        df = df.drop_duplicates(subset=subset)
        logger.info("Removed %d duplicate rows", n_before - len(df))

    df = _coerce_numeric(df)
    df = _normalise_text(df)
    df = _fix_sensor_errors(df)

    if target is not None and target in df.columns:
        df[target] = normalise_target(df[target])
        df = df[df[target].notna()]

    return df.reset_index(drop=True)
