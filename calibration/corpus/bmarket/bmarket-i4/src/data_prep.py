# data_prep.py
# Loading and cleaning of the bank marketing data.
# Same steps are used for training data and for the holdout data.

import sqlite3
import sys

import numpy as np
import pandas as pd


def load_data(db_path, table_name="bank_marketing"):
    """Read the table from the sqlite database into a dataframe."""
    try:
        conn = sqlite3.connect(db_path)
        df = pd.read_sql_query(f"SELECT * FROM {table_name}", conn)
        conn.close()
    except Exception as e:
        print(f"[ERROR] could not read {table_name} from {db_path}: {e}")
        sys.exit(1)
    print(f"[INFO] loaded {df.shape[0]} rows, {df.shape[1]} cols from {db_path}")
    return df


def rename_columns(df):
    """Make column names lower case with underscores (easier to type)."""
    df = df.copy()
    df.columns = [c.strip().lower().replace(" ", "_") for c in df.columns]
    return df


def clean_age(df):
    """Age is stored like '45 years'. Convert to int, and 150 is not a real age so set it to NaN."""
    df = df.copy()
    df["age"] = df["age"].str.replace("years", "").str.strip().astype(int)
    df.loc[df["age"] > 100, "age"] = np.nan
    return df


def impute_age(df, median_age=None):
    """Fill missing age with the median. If median_age is given, use that value."""
    df = df.copy()
    if median_age is None:
        median_age = df["age"].median()
    df["age"] = df["age"].fillna(median_age)
    return df, median_age


def clean_categories(df):
    """Fix the text columns: contact method spelling and missing loan values."""
    df = df.copy()
    df["contact_method"] = df["contact_method"].str.lower().replace({"cell": "cellular"})
    # housing loan and personal loan have NULLs, put them with 'unknown'
    df["housing_loan"] = df["housing_loan"].fillna("unknown")
    df["personal_loan"] = df["personal_loan"].fillna("unknown")
    # only 2 rows are 'yes' for credit default
    df["credit_default"] = df["credit_default"].replace({"yes": "unknown"})
    return df


def clean_campaign_calls(df):
    """Negative number of calls is not possible, take absolute value."""
    df = df.copy()
    df["campaign_calls"] = df["campaign_calls"].abs()
    return df


def add_features(df):
    """New features from the EDA."""
    df = df.copy()
    # 999 means the client was not contacted before
    df["contacted_before"] = (df["previous_contact_days"] != 999).astype(int)
    df["previous_contact_days"] = df["previous_contact_days"].replace(999, -1)
    # older and very young clients subscribe more
    df["age_group"] = pd.cut(df["age"], bins=[0, 25, 35, 50, 60, 120],
                             labels=["upto25", "26to35", "36to50", "51to60", "over60"])
    df["many_calls"] = (df["campaign_calls"] > 5).astype(int)
    return df


CAT_COLS = ["occupation", "marital_status", "education_level", "credit_default",
            "housing_loan", "personal_loan", "contact_method", "age_group"]
NUM_COLS = ["age", "campaign_calls", "previous_contact_days", "contacted_before", "many_calls"]


def encode(df, columns=None):
    """One hot encode categorical columns. Pass the training columns to align the holdout."""
    X = pd.get_dummies(df[CAT_COLS + NUM_COLS], columns=CAT_COLS, dtype=int)
    if columns is not None:
        X = X.reindex(columns=columns, fill_value=0)
    return X


def prepare(df, median_age=None):
    """Run all cleaning steps. Returns cleaned df and the median age used."""
    df = rename_columns(df)
    df = clean_age(df)
    df, median_age = impute_age(df, median_age)
    df = clean_categories(df)
    df = clean_campaign_calls(df)
    df = add_features(df)
    return df, median_age
