"""Cleaning and feature preparation."""
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

TARGET = "Subscription Status"
ID_COL = "Client ID"

NUMERIC_FEATURES = ["age", "campaign_calls", "prev_contact_days"]
BINARY_FEATURES = ["contacted_before"]
CATEGORICAL_FEATURES = [
    "occupation",
    "marital_status",
    "education_level",
    "credit_default",
    "housing_loan",
    "personal_loan",
    "contact_method",
]


def _snake_case(name: str) -> str:
    return name.strip().lower().replace(" ", "_")


def clean_data(df: pd.DataFrame) -> pd.DataFrame:
    """Fix the data issues found in the EDA notebook. Works for train and holdout data."""
    df = df.copy()
    df.columns = [_snake_case(c) for c in df.columns]
    df = df.rename(columns={"previous_contact_days": "prev_contact_days"})

    # "57 years" -> 57, 150 is not a real age
    df["age"] = pd.to_numeric(df["age"].astype(str).str.extract(r"(\d+)")[0], errors="coerce")
    df.loc[df["age"] > 100, "age"] = np.nan

    # negative number of calls -> take abs value
    df["campaign_calls"] = pd.to_numeric(df["campaign_calls"], errors="coerce").abs()

    # 999 = never contacted
    df["prev_contact_days"] = pd.to_numeric(df["prev_contact_days"], errors="coerce")
    df["contacted_before"] = (df["prev_contact_days"] != 999).astype(int)
    df.loc[df["prev_contact_days"] == 999, "prev_contact_days"] = -1

    # Cell / cellular, Telephone / telephone
    df["contact_method"] = df["contact_method"].str.lower().replace({"cell": "cellular"})

    for col in CATEGORICAL_FEATURES:
        df[col] = df[col].fillna("unknown").astype(str).str.strip().str.lower()

    return df


def get_target(df: pd.DataFrame) -> pd.Series:
    """Convert yes/no target to 1/0."""
    return (df[_snake_case(TARGET)] == "yes").astype(int)


def get_features(df: pd.DataFrame) -> pd.DataFrame:
    return df[NUMERIC_FEATURES + BINARY_FEATURES + CATEGORICAL_FEATURES]


def build_preprocessor() -> ColumnTransformer:
    """Column transformer: impute + scale numbers, one-hot encode categories."""
    numeric_pipe = Pipeline(
        steps=[
            ("imputer", SimpleImputer(strategy="median")),
            ("scaler", StandardScaler()),
        ]
    )
    categorical_pipe = OneHotEncoder(handle_unknown="ignore", sparse_output=False)

    return ColumnTransformer(
        transformers=[
            ("num", numeric_pipe, NUMERIC_FEATURES),
            ("bin", "passthrough", BINARY_FEATURES),
            ("cat", categorical_pipe, CATEGORICAL_FEATURES),
        ]
    )
