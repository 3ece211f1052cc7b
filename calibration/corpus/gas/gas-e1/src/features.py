"""Feature construction and the preprocessing ColumnTransformer.

The engineered features are built by ``FeatureBuilder``, a stateless sklearn transformer placed
at the front of every model pipeline, so CV folds, the final refit and inference share exactly
the same code path.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from src.data import NUMERIC_COLS

# Ordered categories: the EDA shows these are levels, so an integer scale keeps their order.
CO_LEVELS = {"extremely_low": 0, "low": 1, "medium": 2, "high": 3, "extremely_high": 4}
LIGHT_LEVELS = {"very_dim": 0, "dim": 1, "moderate": 2, "bright": 3, "very_bright": 4}

NOMINAL_COLS = ["Time of Day", "HVAC Operation Mode"]
MOX_COLS = [f"MetalOxideSensor_Unit{i}" for i in range(1, 5)]
FLAG_SOURCES = ["CO2_ElectroChemicalSensor", "MetalOxideSensor_Unit3", "CO_GasSensor", "Ambient Light Level"]


class FeatureBuilder(BaseEstimator, TransformerMixin):
    """Turn the cleaned frame into model inputs (ordinal codes, flags, sensor aggregates).

    Parameters
    ----------
    add_missing_flags : add a 0/1 column per sensor with many gaps, so a model can tell an
        imputed value from a measured one.
    add_sensor_aggregates : add the mean of the four metal-oxide units and the ratio of the two
        CO2 sensors (the EDA shows the MOX units move together and the two CO2 sensors
        shift in opposite directions with activity).
    """

    def __init__(self, add_missing_flags: bool = True, add_sensor_aggregates: bool = True):
        self.add_missing_flags = add_missing_flags
        self.add_sensor_aggregates = add_sensor_aggregates

    def fit(self, X: pd.DataFrame, y=None):
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame(index=X.index)
        for col in NUMERIC_COLS:
            out[col] = X[col].astype(float)
        out["co_level"] = X["CO_GasSensor"].map(CO_LEVELS).astype(float)
        out["light_level"] = X["Ambient Light Level"].map(LIGHT_LEVELS).astype(float)
        if self.add_missing_flags:
            for col in FLAG_SOURCES:
                out[f"{col}_missing"] = X[col].isna().astype(float)
        if self.add_sensor_aggregates:
            out["mox_mean"] = X[MOX_COLS].mean(axis=1, skipna=True)
            ec = X["CO2_ElectroChemicalSensor"].replace(0, np.nan)
            out["co2_ir_to_ec"] = X["CO2_InfraredSensor"] / ec
        for col in NOMINAL_COLS:
            out[col] = X[col].astype(object).where(X[col].notna(), "missing")
        return out


def numeric_columns(df: pd.DataFrame) -> list[str]:
    """Every column FeatureBuilder produced except the nominal ones (a named function so the model pickles)."""
    return [c for c in df.columns if c not in NOMINAL_COLS]


def build_preprocessor(scale: bool) -> ColumnTransformer:
    """Impute (median), optionally scale numerics, one-hot the nominal columns.

    Numeric columns are selected by dtype because the set depends on the FeatureBuilder flags.
    """
    numeric_steps = [("impute", SimpleImputer(strategy="median"))]
    if scale:
        numeric_steps.append(("scale", StandardScaler()))
    return ColumnTransformer(
        transformers=[
            ("num", Pipeline(numeric_steps), numeric_columns),
            ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), NOMINAL_COLS),
        ],
        verbose_feature_names_out=False,
    )
