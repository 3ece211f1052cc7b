"""Row-wise cleaning. Nothing here is fitted on data so it is safe to run before the split
(imputation of the values set to NaN happens inside the model pipeline)."""
import logging

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)

CONTACT_MAP = {"cell": "cellular", "cellular": "cellular", "telephone": "telephone"}
NEVER_CONTACTED = 999
MAX_VALID_AGE = 100


def clean(df):
    df = df.copy()

    # "57 years" -> 57 ; the 150 ages are placeholders -> NaN (imputed later)
    age = pd.to_numeric(df["Age"].astype(str).str.extract(r"(\d+)")[0], errors="coerce")
    n_bad = int((age > MAX_VALID_AGE).sum())
    age = age.where(age <= MAX_VALID_AGE)
    df["Age"] = age
    log.info("age: %d impossible values set to NaN", n_bad)

    # 4 spellings -> 2 values
    df["Contact Method"] = df["Contact Method"].astype(str).str.strip().str.lower().map(CONTACT_MAP)

    # negative calls look like a sign error (same distribution as the positive side)
    calls = pd.to_numeric(df["Campaign Calls"], errors="coerce")
    log.info("campaign calls: %d negative values flipped", int((calls < 0).sum()))
    df["Campaign Calls"] = calls.abs()

    df["Previous Contact Days"] = pd.to_numeric(df["Previous Contact Days"], errors="coerce")

    # NULLs in the loan columns -> own category, "unknown" kept as is
    for col in ["Housing Loan", "Personal Loan"]:
        df[col] = df[col].fillna("missing")

    cat_cols = ["Occupation", "Marital Status", "Education Level", "Credit Default",
                "Housing Loan", "Personal Loan", "Contact Method"]
    for col in cat_cols:
        df[col] = df[col].astype(str).str.strip().str.lower()
    return df


def encode_target(s):
    y = s.astype(str).str.strip().str.lower().map({"yes": 1, "no": 0})
    if y.isna().any():
        raise ValueError(f"unexpected target values: {s[y.isna()].unique()[:5]}")
    return y.astype(int)
