"""Feature construction and the (fitted) preprocessing transformer.

The derived features are row-wise; the ColumnTransformer returned by `build_preprocessor`
holds every fitted step (imputation, scaling, encoding), so it is learnt inside each CV fold
and on the training split only.
"""
from __future__ import annotations

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from .data import NUMERIC_COLUMNS

# CO_GasSensor is an ordered reading; the EDA shows a monotone-ish link with activity,
# so keep the order instead of one-hot encoding five levels.
CO_LEVELS = {"extremely low": 0, "low": 1, "medium": 2, "high": 3, "extremely high": 4}
MOS_UNITS = [f"MetalOxideSensor_Unit{i}" for i in range(1, 5)]
NOMINAL_COLUMNS = ["Time of Day", "HVAC Operation Mode", "Ambient Light Level"]


def add_features(frame: pd.DataFrame, add_aggregates: bool = True) -> pd.DataFrame:
    """Return a copy with the ordinal CO level and, optionally, sensor aggregates.

    The four metal-oxide units are strongly correlated (r 0.5-0.8 in the EDA) and all shift
    the same way with activity; their mean averages out unit noise and their spread flags a
    single drifting unit. Unit 3 is missing in 26 % of rows, so the mean uses the units that
    are present. The CO2 ratio compares the two CO2 sensors, which disagree more under load.
    """
    frame = frame.copy()
    frame["co_level"] = frame["CO_GasSensor"].map(CO_LEVELS).astype("float")
    if add_aggregates:
        frame["mos_mean"] = frame[MOS_UNITS].mean(axis=1)
        frame["mos_spread"] = frame[MOS_UNITS].max(axis=1) - frame[MOS_UNITS].min(axis=1)
        frame["co2_ratio"] = frame["CO2_ElectroChemicalSensor"] / frame["CO2_InfraredSensor"].where(
            frame["CO2_InfraredSensor"] > 1
        )
    return frame


def feature_columns(add_aggregates: bool, drop: list[str]) -> tuple[list[str], list[str]]:
    """Numeric and nominal model inputs after the configured drops."""
    numeric = NUMERIC_COLUMNS + ["co_level"]
    if add_aggregates:
        numeric += ["mos_mean", "mos_spread", "co2_ratio"]
    numeric = [c for c in numeric if c not in drop]
    nominal = [c for c in NOMINAL_COLUMNS if c not in drop]
    return numeric, nominal


def build_preprocessor(numeric: list[str], nominal: list[str]) -> ColumnTransformer:
    """Median imputation with missing-value indicators + scaling; one-hot for nominal columns.

    The indicators matter: a missing MetalOxideSensor_Unit3 is 26 % of rows and the model
    should be able to tell an imputed median from a real reading. Unknown categories seen only
    at inference time are encoded as all-zeros rather than raising.
    """
    numeric_steps = Pipeline([
        ("impute", SimpleImputer(strategy="median", add_indicator=True)),
        ("scale", StandardScaler()),
    ])
    nominal_steps = Pipeline([
        ("impute", SimpleImputer(strategy="constant", fill_value="missing")),
        ("encode", OneHotEncoder(handle_unknown="ignore")),
    ])
    return ColumnTransformer([("num", numeric_steps, numeric), ("cat", nominal_steps, nominal)])
