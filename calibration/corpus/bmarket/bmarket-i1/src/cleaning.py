"""Row-wise cleaning rules derived from the EDA.

Every rule here is stateless (it does not learn anything from the data), so applying it to the
whole table before the train/test split cannot leak information. Anything that *is* learnt from
data (imputation values, encodings) lives in ``features.build_preprocessor`` and is fitted inside
the cross-validation folds.
"""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

CONTACT_MAP = {"cell": "cellular", "cellular": "cellular", "telephone": "telephone"}


def parse_age(age: pd.Series, sentinel: int) -> pd.Series:
    """Turn '57 years' into 57.0; the sentinel age (150) becomes NaN so it is imputed later.

    EDA 3.1: 10% of clients are recorded as exactly 150 years old, with the same subscription
    rate as everyone else, so it is a placeholder for "unknown" rather than a real age.
    """
    years = pd.to_numeric(age.astype("string").str.extract(r"(-?\d+)", expand=False), errors="coerce")
    n_bad = int(years.isna().sum() - age.isna().sum())
    if n_bad:
        logger.warning("Age: %d value(s) could not be parsed and are treated as missing", n_bad)
    return years.where(years != sentinel).astype(float)


def clean_campaign_calls(calls: pd.Series) -> pd.Series:
    """Campaign calls cannot be negative. EDA 3.3: the negative values mirror the positive
    distribution (-1, -2, -3 ... with the same decay), so the sign is a recording error and the
    magnitude is kept."""
    calls = pd.to_numeric(calls, errors="coerce")
    return calls.abs()


def clean_pdays(pdays: pd.Series, never: int) -> pd.DataFrame:
    """Split 'Previous Contact Days' into a flag and a day count.

    999 means "never contacted before" (97% of rows). Keeping it as a number would make 999 look
    like a very long gap, so the flag carries the information and the count is NaN for those rows.
    """
    pdays = pd.to_numeric(pdays, errors="coerce")
    contacted = (pdays != never) & pdays.notna()
    return pd.DataFrame(
        {
            "prev_contacted": contacted.astype(int),
            "days_since_prev": pdays.where(contacted).astype(float),
        },
        index=pdays.index,
    )


def normalise_text(col: pd.Series) -> pd.Series:
    """Lower-case and strip a categorical column; true missing values become the level 'missing'."""
    return col.astype("string").str.strip().str.lower().fillna("missing").astype(object)


def clean(df: pd.DataFrame, age_sentinel: int, pdays_never: int) -> pd.DataFrame:
    """Apply all row-wise cleaning rules and return a new frame of model-ready raw features."""
    out = pd.DataFrame(index=df.index)
    out["age"] = parse_age(df["Age"], age_sentinel)
    out["campaign_calls"] = clean_campaign_calls(df["Campaign Calls"])
    out = out.join(clean_pdays(df["Previous Contact Days"], pdays_never))

    out["occupation"] = normalise_text(df["Occupation"])
    out["marital_status"] = normalise_text(df["Marital Status"])
    out["education"] = normalise_text(df["Education Level"])
    # 'Cell'/'cellular' and 'Telephone'/'telephone' are the same two channels (EDA 3.4)
    contact = normalise_text(df["Contact Method"])
    out["contact_method"] = contact.map(CONTACT_MAP).fillna("missing")
    # Housing Loan is NULL for 60% of rows; the NULLs have the same subscription rate as the
    # known values (EDA 3.2), so they are kept as their own level instead of being dropped.
    out["housing_loan"] = normalise_text(df["Housing Loan"])
    out["personal_loan"] = normalise_text(df["Personal Loan"])
    # Only 2 clients have Credit Default = 'yes'; the useful contrast is 'no' vs 'not no'.
    default = normalise_text(df["Credit Default"])
    out["credit_default_known_no"] = (default == "no").astype(int)
    return out


def encode_target(y: pd.Series, positive_label: str) -> pd.Series:
    """Map the text target to 1 (positive label) / 0, normalising case and spaces first."""
    y_norm = y.astype("string").str.strip().str.lower()
    unknown = set(y_norm.dropna().unique()) - {positive_label, "no"}
    if unknown:
        raise ValueError(f"unexpected target values: {sorted(unknown)}")
    return (y_norm == positive_label).astype(int).to_numpy(dtype=np.int64)
