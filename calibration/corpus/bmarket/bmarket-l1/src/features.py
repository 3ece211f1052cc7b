"""Feature engineering and the preprocessing part of the model pipeline.

``add_features`` is wrapped in a FunctionTransformer and ``build_preprocessor`` is fitted inside
each CV fold, so cross-validation, the final refit and holdout inference share one code path.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

NEVER_CONTACTED = 999

NUMERIC_FEATURES = ["age", "log_campaign_calls"]
BINARY_FEATURES = ["contacted_before"]
CATEGORICAL_FEATURES = [
    "Occupation", "Marital Status", "Education Level", "Credit Default",
    "Housing Loan", "Personal Loan", "Contact Method", "age_band", "pdays_bucket",
]

# EDA 4.2: subscription rate is U-shaped in age (students <25 and retirees 60+ subscribe
# 2-3x more often), which a linear model cannot express from raw age alone.
AGE_BINS = [0, 24, 34, 44, 54, 64, 200]
AGE_LABELS = ["<25", "25-34", "35-44", "45-54", "55-64", "65+"]
# EDA 4.3: clients contacted in a previous campaign subscribe at 64% vs 9%; within them,
# recency matters less, so a coarse bucket is enough.
PDAYS_BINS = [-1, 3, 7, 998]
PDAYS_LABELS = ["0-3d", "4-7d", "8d+"]


def add_features(df: pd.DataFrame) -> pd.DataFrame:
    """Derive model features from the cleaned columns (stateless, row by row)."""
    out = df.copy()
    out["age"] = out["Age"].astype(float)
    out["age_band"] = pd.cut(out["age"], bins=AGE_BINS, labels=AGE_LABELS).astype("string").fillna("unknown")

    pdays = out["Previous Contact Days"]
    out["contacted_before"] = (pdays.notna() & (pdays != NEVER_CONTACTED)).astype(int)
    bucket = pd.cut(pdays.where(pdays != NEVER_CONTACTED), bins=PDAYS_BINS, labels=PDAYS_LABELS)
    out["pdays_bucket"] = bucket.astype("string").fillna("never")

    # EDA 3.2: calls are right-skewed (skew ~4.6) with a real long tail; log keeps the tail
    # instead of clipping it.
    out["log_campaign_calls"] = np.log1p(out["Campaign Calls"].astype(float))
    for col in CATEGORICAL_FEATURES:
        out[col] = out[col].astype(object).where(out[col].notna(), "missing")
    return out[NUMERIC_FEATURES + BINARY_FEATURES + CATEGORICAL_FEATURES]


def build_preprocessor(min_frequency: int) -> Pipeline:
    """Feature step + column transformer; everything that learns is fitted on training folds."""
    numeric = Pipeline([
        ("impute", SimpleImputer(strategy="median")),
        ("scale", StandardScaler()),
    ])
    categorical = OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=min_frequency,
                                sparse_output=False)
    columns = ColumnTransformer([
        ("num", numeric, NUMERIC_FEATURES),
        ("bin", "passthrough", BINARY_FEATURES),
        ("cat", categorical, CATEGORICAL_FEATURES),
    ])
    return Pipeline([
        ("features", FunctionTransformer(add_features)),
        ("columns", columns),
    ])
