"""Feature engineering and the sklearn preprocessing step.

`add_features` only uses values of the same row, so it is safe to call before the
split. Everything that learns statistics (imputation, scaling, encoding) lives in
`build_preprocessor` and is fitted inside the sklearn Pipeline on training folds only.
"""
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

MOS_COLUMNS = [f"MetalOxideSensor_Unit{i}" for i in range(1, 5)]

LIGHT_ORDER = {"very_dim": 0, "dim": 1, "moderate": 2, "bright": 3, "very_bright": 4}

BASE_NUMERIC = [
    "Temperature", "Humidity", "CO2_InfraredSensor", "CO2_ElectroChemicalSensor",
    *MOS_COLUMNS,
]
ENGINEERED_NUMERIC = ["mos_mean", "co2_ratio"]

# CO_GasSensor is one-hot encoded rather than ordinal: the EDA shows a non-monotonic
# relation with the target (both 'extremely low' and 'low' carry most High/Moderate rows).
CATEGORICAL = ["Time of Day", "CO_GasSensor", "HVAC Operation Mode"]


def add_features(df):
    """Add row-level engineered features (no statistics learnt from the data)."""
    df = df.copy()
    mos = df[MOS_COLUMNS]
    # The 4 metal-oxide units are strongly correlated (Spearman 0.55-0.82); their mean is a
    # less noisy pollution signal and still exists when Unit3 is missing (26% of rows).
    df["mos_mean"] = mos.mean(axis=1)
    # The two CO2 sensors move in opposite directions (Spearman -0.5); their ratio combines them.
    # Log because the ratio is very right-skewed (infrared readings close to 0).
    infrared = df["CO2_InfraredSensor"].where(df["CO2_InfraredSensor"] > 1)
    df["co2_ratio"] = np.log(df["CO2_ElectroChemicalSensor"] / infrared)
    # Ambient light is ordinal text -> 0..4 (only used if not dropped in config)
    df["light_level"] = df["Ambient Light Level"].map(LIGHT_ORDER).astype(float)
    return df


def feature_columns(drop_columns=()):
    """Return (numeric, categorical) feature lists after removing configured drops."""
    numeric = BASE_NUMERIC + ENGINEERED_NUMERIC
    if "Ambient Light Level" not in drop_columns:
        numeric = numeric + ["light_level"]
    numeric = [c for c in numeric if c not in drop_columns]
    categorical = [c for c in CATEGORICAL if c not in drop_columns]
    return numeric, categorical


def build_preprocessor(numeric, categorical):
    """Median imputation (+ missing flags) and scaling for numbers, one-hot for text."""
    numeric_steps = Pipeline([
        # add_indicator keeps the information that a sensor was missing
        ("impute", SimpleImputer(strategy="median", add_indicator=True)),
        ("scale", StandardScaler()),
    ])
    categorical_steps = Pipeline([
        ("impute", SimpleImputer(strategy="constant", fill_value="missing")),
        ("onehot", OneHotEncoder(handle_unknown="ignore")),
    ])
    return ColumnTransformer([
        ("num", numeric_steps, numeric),
        ("cat", categorical_steps, categorical),
    ])


def to_model_frame(df, numeric, categorical):
    """Select the model inputs; pd.NA -> np.nan so sklearn imputers accept them."""
    X = df[numeric + categorical].copy()
    X[numeric] = X[numeric].astype(float)
    X[categorical] = X[categorical].astype(object).where(X[categorical].notna(), np.nan)
    return X
