"""Schema and type validation applied before any cleaning or training."""
from __future__ import annotations

import logging
from collections.abc import Iterable

import pandas as pd

logger = logging.getLogger(__name__)

NUMERIC_COLUMNS: tuple[str, ...] = (
    "Temperature",
    "Humidity",
    "CO2_InfraredSensor",
    "CO2_ElectroChemicalSensor",
    "MetalOxideSensor_Unit1",
    "MetalOxideSensor_Unit2",
    "MetalOxideSensor_Unit3",
    "MetalOxideSensor_Unit4",
)
CATEGORICAL_COLUMNS: tuple[str, ...] = (
    "Time of Day",
    "CO_GasSensor",
    "HVAC Operation Mode",
    "Ambient Light Level",
)


class SchemaError(ValueError):
    """Raised when input data does not match the expected schema."""


def require_columns(frame: pd.DataFrame, columns: Iterable[str], source: str) -> None:
    """Fail if the frame is empty or lacks any of the required columns."""
    if frame.empty:
        raise SchemaError(f"{source}: table is empty")
    missing = sorted(set(columns) - set(frame.columns))
    if missing:
        raise SchemaError(f"{source}: missing required columns {missing}")


def coerce_numeric(frame: pd.DataFrame, max_bad_fraction: float, source: str) -> pd.DataFrame:
    """Convert sensor columns to float; unparseable cells become NaN with a warning.

    A column where more than `max_bad_fraction` of the non-null cells cannot be parsed
    is treated as corrupt and aborts the run rather than silently training on NaNs.
    """
    frame = frame.copy()
    for column in NUMERIC_COLUMNS:
        original = frame[column]
        converted = pd.to_numeric(original, errors="coerce")
        bad = converted.isna() & original.notna()
        n_present = int(original.notna().sum())
        if bad.any():
            fraction = bad.sum() / max(n_present, 1)
            if fraction > max_bad_fraction:
                raise SchemaError(
                    f"{source}: column '{column}' has {fraction:.0%} non-numeric values; refusing to continue"
                )
            logger.warning("%s: %d non-numeric values in '%s' set to NaN", source, int(bad.sum()), column)
        frame[column] = converted.astype(float)
    return frame


def validate_frame(
    frame: pd.DataFrame, source: str, max_bad_fraction: float, extra_columns: Iterable[str] = ()
) -> pd.DataFrame:
    """Run all checks for one input table and return a type-coerced copy."""
    require_columns(frame, [*NUMERIC_COLUMNS, *CATEGORICAL_COLUMNS, *extra_columns], source)
    return coerce_numeric(frame, max_bad_fraction, source)
