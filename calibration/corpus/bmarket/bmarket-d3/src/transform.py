"""Cleaning (stateless, row-level) and feature preparation (fitted, inside the model pipeline)."""
import logging
from typing import Any, Dict, List, Tuple

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

logger = logging.getLogger(__name__)


def clean(df: pd.DataFrame, cfg: Dict[str, Any]) -> pd.DataFrame:
    """Apply the row-level corrections found during EDA. Same function for train and holdout."""
    c = cfg["cleaning"]
    df = df.copy()

    # Age: "57 years" -> 57, impossible ages -> NaN (imputed later with the train median)
    age = pd.to_numeric(df["Age"].astype(str).str.extract(r"(\d+)", expand=False), errors="coerce")
    invalid_age = age > c["max_valid_age"]
    logger.info("Age: %d values above %d set to NaN", int(invalid_age.sum()), c["max_valid_age"])
    df["Age"] = age.mask(invalid_age)

    # Contact Method: unify spellings
    contact = df["Contact Method"].astype(str).str.strip().str.lower()
    df["Contact Method"] = contact.map(c["contact_method_map"])
    unmapped = int(df["Contact Method"].isna().sum())
    if unmapped:
        logger.warning("Contact Method: %d unmapped values set to missing", unmapped)

    # Campaign Calls: negative counts are sign errors; cap the long tail
    calls = df["Campaign Calls"]
    logger.info("Campaign Calls: %d negative values made positive", int((calls < 0).sum()))
    df["Campaign Calls"] = calls.abs().clip(upper=c["campaign_calls_cap"])

    # Previous Contact Days: 999 is a code, not a duration
    never = df["Previous Contact Days"] == c["never_contacted_code"]
    df["previously_contacted"] = (~never).astype(int)
    df["Previous Contact Days"] = df["Previous Contact Days"].mask(never)

    # Categorical nulls -> explicit 'missing' level
    for col in cfg["columns"]["categorical"]:
        df[col] = df[col].fillna("missing").astype(str).str.strip().str.lower()
    return df


def add_features(df: pd.DataFrame, cfg: Dict[str, Any]) -> pd.DataFrame:
    """Derived features."""
    f = cfg["features"]
    df = df.copy()
    df["age_group"] = pd.cut(df["Age"], bins=f["age_bins"], labels=f["age_labels"]).astype(str)
    df["calls_log"] = np.log1p(df["Campaign Calls"])
    return df


def feature_columns(cfg: Dict[str, Any]) -> Tuple[List[str], List[str]]:
    numeric = cfg["columns"]["numeric"] + ["previously_contacted", "calls_log"]
    categorical = cfg["columns"]["categorical"] + ["age_group"]
    return numeric, categorical


def build_preprocessor(cfg: Dict[str, Any]) -> ColumnTransformer:
    """Imputation + one-hot encoding, fitted on training data only."""
    numeric, categorical = feature_columns(cfg)
    num_pipe = Pipeline([("impute", SimpleImputer(strategy="median", add_indicator=True))])
    cat_pipe = Pipeline([("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False))])
    return ColumnTransformer([("num", num_pipe, numeric), ("cat", cat_pipe, categorical)])


def prepare(df: pd.DataFrame, cfg: Dict[str, Any]) -> pd.DataFrame:
    """clean + add_features."""
    return add_features(clean(df, cfg), cfg)
