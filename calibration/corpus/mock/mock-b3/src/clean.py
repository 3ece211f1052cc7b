"""Row-level cleaning rules (stateless, so they are safe to apply before the split).

Each rule is motivated by a finding in eda.ipynb; the section is given in brackets.
"""
import logging

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

DISTANCE_PLACEHOLDERS = (999.0, 5000.0, 9999.0)   # [EDA 2.3] codes, not routes
TRAFFIC_SCALE_LIMIT = 10.0                        # [EDA 2.4] index is 0-10
EXPRESS_MAP = {"yes": 1, "true": 1, "1": 1, "no": 0, "false": 0, "0": 0}
NUMERIC_COLUMNS = ["distance_km", "num_items", "driver_experience_yrs", "driver_rating", "traffic_index"]


def _normalise_label(s: pd.Series) -> pd.Series:
    """' NORTH' / 'north ' / 'North' -> 'north' [EDA 2.1]."""
    return s.astype("string").str.strip().str.lower()


def parse_weight_kg(s: pd.Series) -> pd.Series:
    """Parse '2.9kg', '2.9 kg', '3180g', '1740 g' to kilograms [EDA 2.2]."""
    text = s.astype("string").str.replace(" ", "", regex=False).str.lower()
    parts = text.str.extract(r"^(?P<value>[0-9]*\.?[0-9]+)(?P<unit>kg|g)?$")
    value = pd.to_numeric(parts["value"], errors="coerce")
    factor = parts["unit"].map({"kg": 1.0, "g": 0.001}).fillna(1.0).astype(float)
    return value * factor


def clean(df: pd.DataFrame) -> pd.DataFrame:
    """Return a cleaned copy of ``df``. Does not use the target and learns nothing."""
    out = df.copy()
    for col in ["region", "vehicle_type", "weather", "customer_tier"]:
        out[col] = _normalise_label(out[col])

    out["express"] = _normalise_label(out["express"]).map(EXPRESS_MAP).astype("Float64")
    out["parcel_weight_kg"] = parse_weight_kg(out["parcel_weight"])

    for col in NUMERIC_COLUMNS:
        coerced = pd.to_numeric(out[col], errors="coerce")
        n_bad = int(coerced.isna().sum() - out[col].isna().sum())
        if n_bad:
            logger.warning("%s: %d non-numeric values set to missing", col, n_bad)
        out[col] = coerced.astype(float)

    # placeholders -> missing; negatives are mirrored valid values (sign errors) [EDA 2.3]
    out.loc[out["distance_km"].isin(DISTANCE_PLACEHOLDERS), "distance_km"] = np.nan
    out["distance_km"] = out["distance_km"].abs()
    out["driver_experience_yrs"] = out["driver_experience_yrs"].abs()

    # values 25-96 are the same index recorded x10 [EDA 2.4]
    x10 = out["traffic_index"] > TRAFFIC_SCALE_LIMIT
    out.loc[x10, "traffic_index"] = out.loc[x10, "traffic_index"] / 10

    out["order_datetime"] = pd.to_datetime(out["order_datetime"], errors="coerce")
    return out.drop(columns=["parcel_weight"])


def drop_duplicates(df: pd.DataFrame) -> pd.DataFrame:
    """Remove exact duplicate deliveries (120 in the training data) [EDA 2.5]."""
    before = len(df)
    df = df.drop_duplicates(subset=[c for c in df.columns])
    logger.info("Removed %d duplicate rows", before - len(df))
    return df
