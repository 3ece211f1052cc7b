"""Feature construction and the fitted preprocessing transformer."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from .validation import NUMERIC_COLUMNS

CO_ORDER = ["extremely low", "low", "medium", "high", "extremely high"]
LIGHT_ORDER = ["very_dim", "dim", "moderate", "bright", "very_bright"]
NOMINAL_COLUMNS = ["Time of Day", "HVAC Operation Mode"]
ORDINAL_COLUMNS = ["CO_GasSensor", "Ambient Light Level"]
DERIVED_COLUMNS = ["mox_mean", "co2_ratio", "co_missing"]


def add_derived_features(frame: pd.DataFrame) -> pd.DataFrame:
    """Row-wise features that need no fitted state."""
    frame = frame.copy()
    mox = ["MetalOxideSensor_Unit1", "MetalOxideSensor_Unit2", "MetalOxideSensor_Unit4"]
    frame["mox_mean"] = frame[mox].mean(axis=1)
    ratio = frame["CO2_ElectroChemicalSensor"] / frame["CO2_InfraredSensor"]
    frame["co2_ratio"] = ratio.replace([np.inf, -np.inf], np.nan)
    frame["co_missing"] = frame["CO_GasSensor"].isna().astype(float)
    return frame


def feature_columns() -> list[str]:
    """All model input columns, in a fixed order."""
    return [*NUMERIC_COLUMNS, *DERIVED_COLUMNS, *ORDINAL_COLUMNS, *NOMINAL_COLUMNS]


def build_preprocessor(scale: bool) -> ColumnTransformer:
    """Imputation/encoding transformer; fitted inside each CV fold as part of the model pipeline."""
    numeric_steps: list[tuple[str, object]] = [("impute", SimpleImputer(strategy="median"))]
    if scale:
        numeric_steps.append(("scale", StandardScaler()))
    ordinal = Pipeline([
        ("encode", OrdinalEncoder(
            categories=[CO_ORDER, LIGHT_ORDER],
            handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=np.nan,
        )),
        ("impute", SimpleImputer(strategy="median")),
    ])
    nominal = Pipeline([
        ("impute", SimpleImputer(strategy="most_frequent")),
        ("encode", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
    ])
    return ColumnTransformer(
        [
            ("numeric", Pipeline(numeric_steps), [*NUMERIC_COLUMNS, *DERIVED_COLUMNS]),
            ("ordinal", ordinal, ORDINAL_COLUMNS),
            ("nominal", nominal, NOMINAL_COLUMNS),
        ],
        verbose_feature_names_out=False,
    )
