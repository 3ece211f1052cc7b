"""Loading and cleaning of the phishing data."""
import os
import sqlite3

import numpy as np
import pandas as pd

NUMERIC_COLS = [
    "LineOfCode", "LargestLineLength", "NoOfURLRedirect", "NoOfSelfRedirect",
    "NoOfPopup", "NoOfiFrame", "NoOfImage", "NoOfSelfRef", "NoOfExternalRef",
    "Robots", "IsResponsive", "DomainAgeMonths",
]
CATEGORICAL_COLS = ["Industry", "HostingProvider"]


def load_data(db_path, table):
    """Read a table from the sqlite database."""
    if not os.path.exists(db_path):
        raise FileNotFoundError(f"Database {db_path} not found. Put the file in the data/ folder.")
    conn = sqlite3.connect(db_path)
    try:
        df = pd.read_sql_query(f'SELECT * FROM "{table}"', conn)
    finally:
        conn.close()
    if df.empty:
        raise ValueError(f"Table {table} in {db_path} has no rows")
    missing = [c for c in NUMERIC_COLS + CATEGORICAL_COLS if c not in df.columns]
    if missing:
        raise ValueError(f"Missing columns in {db_path}: {missing}")
    print(f"Loaded {len(df)} rows from {db_path}")
    return df


def drop_duplicates(df, id_column):
    """Remove duplicate rows. The id column is a leaked pandas index so it is ignored here."""
    cols = [c for c in df.columns if c != id_column]
    before = len(df)
    df = df.drop_duplicates(subset=cols).reset_index(drop=True)
    print(f"Dropped {before - len(df)} duplicate rows")
    return df


def clean_data(df):
    """Cleaning used for both the training data and the holdout data."""
    df = df.copy()
    for col in NUMERIC_COLS:
        # bad text values become NaN and are imputed later
        df[col] = pd.to_numeric(df[col], errors="coerce")

    # NoOfImage cannot be negative (found in EDA), clip to 0
    df["NoOfImage"] = df["NoOfImage"].clip(lower=0)

    # 'eCommerce ' with a trailing space is the same industry as 'eCommerce'
    for col in CATEGORICAL_COLS:
        df[col] = df[col].astype(str).str.strip()
    return df


def add_features(df):
    """A couple of simple extra features."""
    df = df.copy()
    # LineOfCode is missing for 22% of rows, keep that as information
    df["LineOfCode_missing"] = df["LineOfCode"].isna().astype(int)
    # share of references pointing to the site itself (phishing pages link out more)
    df["SelfRefRatio"] = df["NoOfSelfRef"] / (df["NoOfSelfRef"] + df["NoOfExternalRef"] + 1)
    # LineOfCode and LargestLineLength have a very long tail
    df["LogLineOfCode"] = np.log1p(df["LineOfCode"])
    return df


FEATURE_NUMERIC = NUMERIC_COLS + ["LineOfCode_missing", "SelfRefRatio", "LogLineOfCode"]
