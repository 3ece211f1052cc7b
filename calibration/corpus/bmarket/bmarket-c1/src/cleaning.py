"""Row-wise cleaning rules derived from the EDA (eda.ipynb, section 2).

Every rule here is stateless (it learns nothing from the data), so applying it to the whole
training table before the split cannot leak information, and the identical function is reused
on the holdout. Anything that *learns* a value (imputation medians, scaling) lives in the
sklearn pipeline in features.py and is fitted on training folds only.
"""
from __future__ import annotations

import logging

import pandas as pd

logger = logging.getLogger(__name__)

COLUMN_NAMES = {
    "Client ID": "client_id",
    "Age": "age",
    "Occupation": "occupation",
    "Marital Status": "marital_status",
    "Education Level": "education",
    "Credit Default": "credit_default",
    "Housing Loan": "housing_loan",
    "Personal Loan": "personal_loan",
    "Contact Method": "contact_method",
    "Campaign Calls": "campaign_calls",
    "Previous Contact Days": "previous_contact_days",
    "Subscription Status": "subscribed",
}
CATEGORICAL_COLUMNS = (
    "occupation",
    "marital_status",
    "education",
    "credit_default",
    "housing_loan",
    "personal_loan",
    "contact_method",
)
# EDA: "Cell"/"cellular" and "Telephone"/"telephone" are the same two channels with different spellings.
CONTACT_METHOD_MAP = {"cell": "cellular", "cellular": "cellular", "mobile": "cellular", "telephone": "telephone"}
# EDA: NULL in the loan columns is a separate thing from the bank's own "unknown" code.
MISSING_TOKEN = "missing"


def _parse_age(raw_age: pd.Series, min_age: int, max_age: int) -> pd.Series:
    """Extract the number from strings like '57 years'; out-of-range ages become NaN.

    EDA: 10.2% of rows say '150 years', a placeholder rather than an age. We keep the rows
    (their other columns are fine) and let the median imputer + missing-indicator handle them.
    """
    age = pd.to_numeric(raw_age.astype("string").str.extract(r"(\d+)", expand=False), errors="coerce")
    invalid = age.notna() & ((age < min_age) | (age > max_age))
    unparsable = age.isna() & raw_age.notna()
    if invalid.any():
        logger.info("Age: %d value(s) outside [%d, %d] set to missing", int(invalid.sum()), min_age, max_age)
    if unparsable.any():
        logger.warning("Age: %d value(s) could not be parsed and were set to missing", int(unparsable.sum()))
    return age.mask(invalid).astype("float64")


def _coerce_numeric(series: pd.Series, name: str) -> pd.Series:
    """Convert to float, turning stray text into NaN with a warning instead of crashing."""
    numeric = pd.to_numeric(series, errors="coerce")
    bad = numeric.isna() & series.notna()
    if bad.any():
        logger.warning("%s: %d non-numeric value(s) set to missing", name, int(bad.sum()))
    return numeric.astype("float64")


def _normalise_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """Lower-case/strip every categorical and mark NULLs with an explicit token."""
    for column in CATEGORICAL_COLUMNS:
        frame[column] = (
            frame[column].astype("string").str.strip().str.lower().fillna(MISSING_TOKEN).astype(object)
        )
    unmapped = ~frame["contact_method"].isin(list(CONTACT_METHOD_MAP) + [MISSING_TOKEN])
    if unmapped.any():
        logger.warning(
            "contact_method: unseen value(s) %s kept as-is (the encoder ignores unseen categories)",
            sorted(frame.loc[unmapped, "contact_method"].unique())[:5],
        )
    frame["contact_method"] = frame["contact_method"].map(CONTACT_METHOD_MAP).fillna(frame["contact_method"])
    return frame


def clean(raw: pd.DataFrame, cleaning_config: dict, has_target: bool = True) -> pd.DataFrame:
    """Apply all stateless cleaning rules; returns a new frame with snake_case columns.

    Rules (EDA finding in brackets):
    * Age text -> number; ages outside the configured range -> NaN ['150 years' in 10% of rows].
    * Campaign Calls: negative values -> absolute value [negatives mirror the positive
      distribution, -1 is the most common, and there are no zeros: a sign error, not noise].
    * Previous Contact Days: sentinel 999 -> NaN; the flag is added in features.py
      [96% of rows are 999; those clients subscribe at 9% vs 64% for contacted ones].
    * Contact Method: four spellings -> two channels.
    * Loan NULLs -> 'missing' ['Housing Loan' is 60% NULL, subscription rate is the same
      with and without NULL, so the rows are kept and NULL is its own level].
    """
    frame = raw.rename(columns=COLUMN_NAMES).copy()

    frame["age"] = _parse_age(frame["age"], cleaning_config["min_valid_age"], cleaning_config["max_valid_age"])

    calls = _coerce_numeric(frame["campaign_calls"], "campaign_calls")
    negative = calls < 0
    if negative.any():
        logger.info("campaign_calls: %d negative value(s) flipped to positive", int(negative.sum()))
    frame["campaign_calls"] = calls.abs()

    days = _coerce_numeric(frame["previous_contact_days"], "previous_contact_days")
    sentinel = cleaning_config["never_contacted_sentinel"]
    frame["never_contacted"] = (days == sentinel).astype("int8")
    frame["previous_contact_days"] = days.mask(days == sentinel)

    frame = _normalise_categories(frame)

    if has_target:
        frame["subscribed"] = (frame["subscribed"].astype("string").str.strip().str.lower() == "yes").astype("int8")
    return frame


def split_xy(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Separate features from the 0/1 target; the id is dropped (it carries no signal)."""
    features = frame.drop(columns=["client_id", "subscribed"])
    return features, frame["subscribed"].astype(int)


def ensure_not_all_missing(features: pd.DataFrame, columns: tuple[str, ...]) -> None:
    """Refuse to train when a numeric column is entirely missing (a whole column of text, say)."""
    for column in columns:
        if features[column].isna().all():
            raise ValueError(f"Column '{column}' has no valid values after cleaning; cannot train on it.")
        share = float(features[column].isna().mean())
        if share > 0.5 and column != "previous_contact_days":
            logger.warning("%s is %.0f%% missing after cleaning", column, 100 * share)

