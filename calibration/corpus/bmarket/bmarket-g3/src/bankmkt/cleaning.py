"""Row-wise corrections of known data errors (stateless: nothing is learnt from the data).

Every rule here comes from a finding in eda.ipynb; the section number is cited.
"""
import logging

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

_CONTACT_SPELLINGS = {"cell": "cellular", "cellular": "cellular", "telephone": "telephone"}


def parse_age(raw: pd.Series, sentinel: int) -> pd.Series:
    """'57 years' -> 57.0; the 150 placeholder and unparsable text -> NaN (EDA 3.1).

    The 150 rows have the same subscription rate as the rest (10.6% vs 11.3%), so they
    look like a data-entry default, not a segment; the model gets a missing flag instead.
    """
    age = pd.to_numeric(raw.astype("string").str.extract(r"(\d+)", expand=False), errors="coerce").astype(float)
    return age.where(age != sentinel)


def clean(frame: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    """Apply the corrections. Same function for training and holdout rows."""
    out = frame.copy()
    c = cfg["cleaning"]

    out["Age"] = parse_age(out["Age"], c["age_sentinel"])

    # EDA 3.2: four spellings of two values (Cell/cellular, Telephone/telephone).
    contact = out["Contact Method"].astype("string").str.strip().str.lower()
    out["Contact Method"] = contact.map(_CONTACT_SPELLINGS).astype(object)

    # EDA 3.3: negative call counts mirror the positive distribution (same median and
    # quartiles), so the sign is a recording error rather than a code.
    n_neg = int((out["Campaign Calls"] < 0).sum())
    if n_neg:
        logger.info("Campaign Calls: %d negative values sign-corrected", n_neg)
    out["Campaign Calls"] = out["Campaign Calls"].abs().astype(float)

    # EDA 3.4: 999 means "never contacted", not 999 days. Split into a flag plus a
    # genuine day count so the sentinel cannot masquerade as a long gap.
    never = out["Previous Contact Days"] == c["pdays_never"]
    out["never_contacted"] = never.astype(int)
    out["Previous Contact Days"] = out["Previous Contact Days"].where(~never).astype(float)

    # EDA 3.5: NULL loans are kept as their own level; missingness is unrelated to the
    # target (11.2% vs 11.0-11.7%), so it is information-free but must not drop 60% of rows.
    for col in ("Housing Loan", "Personal Loan"):
        out[col] = out[col].astype("string").str.strip().str.lower().fillna("missing").astype(object)

    # Credit Default has 2 'yes' in 33k rows: too rare to learn from, merge into 'unknown'.
    out["Credit Default"] = out["Credit Default"].astype("string").str.strip().str.lower().replace({"yes": "unknown"}).astype(object)

    for col in ("Occupation", "Marital Status", "Education Level"):
        out[col] = out[col].astype("string").str.strip().str.lower().astype(object)
    return out
