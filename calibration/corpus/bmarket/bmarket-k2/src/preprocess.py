"""Cleaning and feature engineering for the bank marketing data.

The same functions are used for the training data and for the holdout data
so that both go through exactly the same steps.
"""
import numpy as np
import pandas as pd

TARGET = "Subscription Status"
ID_COL = "Client ID"

CATEGORICAL_COLS = [
    "Occupation", "Marital Status", "Education Level", "Credit Default",
    "Housing Loan", "Personal Loan", "Contact Method", "Age Group",
]
NUMERIC_COLS = ["Age", "Campaign Calls", "Previous Contact Days", "Contacted Before"]


def clean_data(df):
    """Fix the data quality issues found in the EDA (see eda.ipynb section 2)."""
    df = df.copy()

    # Age is stored as text like "57 years" -> integer
    df["Age"] = pd.to_numeric(df["Age"].astype(str).str.replace("years", "").str.strip(), errors="coerce")
    # 150 is not a real age (3363 rows) -> treat as missing and fill with the median
    df.loc[df["Age"] > 100, "Age"] = np.nan
    df["Age"] = df["Age"].fillna(df["Age"].median())

    # Contact method has 4 spellings for 2 values
    df["Contact Method"] = df["Contact Method"].str.lower().replace({"cell": "cellular"})

    # negative campaign calls look like a sign error (-1, -2 have similar rates to 1, 2)
    df["Campaign Calls"] = df["Campaign Calls"].abs()

    # missing loan info -> keep as its own category, it already has "unknown"
    for col in ["Housing Loan", "Personal Loan"]:
        df[col] = df[col].fillna("unknown")

    if TARGET in df.columns:
        df[TARGET] = (df[TARGET].str.strip().str.lower() == "yes").astype(int)
    return df


def add_features(df):
    """Create new features based on the EDA."""
    df = df.copy()
    # 999 means the client was never contacted before. These clients subscribe far
    # less often (9% vs 64%), so a flag is more useful than the raw number.
    df["Contacted Before"] = (df["Previous Contact Days"] != 999).astype(int)
    df["Previous Contact Days"] = df["Previous Contact Days"].replace(999, -1)

    # subscription rate is U-shaped in age (young and 60+ subscribe more)
    df["Age Group"] = pd.cut(
        df["Age"], bins=[0, 25, 35, 45, 55, 65, 120],
        labels=["<=25", "26-35", "36-45", "46-55", "56-65", "65+"],
    ).astype(str)
    return df


def encode(df, columns=None):
    """One-hot encode the categorical columns.

    When `columns` is given (the training columns), the result is aligned to
    them so the holdout data has the same columns as the training data.
    """
    X = pd.get_dummies(df[NUMERIC_COLS + CATEGORICAL_COLS], columns=CATEGORICAL_COLS, dtype=int)
    if columns is not None:
        X = X.reindex(columns=columns, fill_value=0)
    return X
