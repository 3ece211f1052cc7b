"""Cleaning and variable construction.

The dependent variable y is 1 if the client subscribed and 0 otherwise, so that
E[y|X] = P(subscribe|X) and we can model it with regression (linear probability model).
"""
import numpy as np
import pandas as pd

CATEGORICAL = ["Occupation", "Marital Status", "Education Level",
               "Housing Loan", "Personal Loan", "Contact Method"]


def parse_age(age_series):
    """'57 years' -> 57. Ages above 100 are data errors and become NaN."""
    age = age_series.astype(str).str.replace("years", "").str.strip()
    age = pd.to_numeric(age, errors="coerce")
    age[age > 100] = np.nan
    return age


def clean_data(df):
    """Fix the obvious data problems. Returns a new DataFrame."""
    df = df.copy()
    df["Age"] = parse_age(df["Age"])
    # median age of the data we have
    df["Age"] = df["Age"].fillna(df["Age"].median())

    # Cell / cellular and Telephone / telephone are the same thing
    df["Contact Method"] = df["Contact Method"].str.lower().replace({"cell": "cellular"})

    # negative number of calls is not possible, assume the minus sign is a typo
    df["Campaign Calls"] = df["Campaign Calls"].abs()

    # missing loan info is treated as unknown
    df["Housing Loan"] = df["Housing Loan"].fillna("unknown")
    df["Personal Loan"] = df["Personal Loan"].fillna("unknown")

    # 999 means the client was never contacted before -> dummy variable + days set to 0
    df["never_contacted"] = (df["Previous Contact Days"] == 999).astype(int)
    df.loc[df["Previous Contact Days"] == 999, "Previous Contact Days"] = 0

    # Credit Default is nearly always "no" (only 2 "yes") so it has no variation -> drop
    df = df.drop(columns=["Credit Default"])

    if "Subscription Status" in df.columns:
        df["y"] = (df["Subscription Status"] == "yes").astype(int)
        df = df.drop(columns=["Subscription Status"])
    return df


def make_dummies(df, columns=None):
    """One-hot encode the categorical variables (drop first level to avoid the dummy trap).
    If columns is given the result is aligned to those columns (used for new data)."""
    X = pd.get_dummies(df, columns=CATEGORICAL, drop_first=True, dtype=float)
    X["age_sq"] = X["Age"] ** 2  # age effect is probably U-shaped
    X["log_calls"] = np.log1p(X["Campaign Calls"])
    if columns is not None:
        X = X.reindex(columns=columns, fill_value=0.0)
    return X
