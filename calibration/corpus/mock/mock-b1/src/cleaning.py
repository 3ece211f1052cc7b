"""Data cleaning rules. Each rule comes from a finding in eda.ipynb (section 2)."""
import logging

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)

# distance values of 999, 5000 and 9999 km are placeholders, not real routes (EDA 2.3)
DISTANCE_SENTINELS = {999.0, 5000.0, 9999.0}
# traffic index is documented as 0-10; the 49 values between 25 and 96 look like x10 entries
TRAFFIC_MAX = 10.0

TRUE_STRINGS = {"1", "true", "yes", "y", "t"}
FALSE_STRINGS = {"0", "false", "no", "n", "f"}


def parse_weight_kg(value) -> float:
    """Convert '2.9kg', '2.9 kg', '3180g' or '1740 g' into kilograms (NaN if unreadable)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    text = str(value).strip().lower().replace(" ", "")
    try:
        if text.endswith("kg"):
            return float(text[:-2])
        if text.endswith("g"):
            return float(text[:-1]) / 1000.0
        return float(text)  # no unit: assume kg
    except ValueError:
        return np.nan


def parse_bool(value) -> float:
    """Map the ten spellings of the express flag to 1/0 (NaN when unknown)."""
    text = str(value).strip().lower()
    if text in TRUE_STRINGS:
        return 1.0
    if text in FALSE_STRINGS:
        return 0.0
    return np.nan


def clean_deliveries(df: pd.DataFrame) -> pd.DataFrame:
    """Return a cleaned copy: consistent labels, numeric units, plausible ranges."""
    out = df.copy()

    n_before = len(out)
    out = out.drop_duplicates()
    if len(out) < n_before:
        log.info("dropped %d exact duplicate rows", n_before - len(out))

    # categorical labels: 'NORTH', ' north', 'North' are the same region
    for col in ["region", "vehicle_type", "weather", "customer_tier"]:
        out[col] = out[col].astype("string").str.strip().str.lower()

    out["express"] = out["express"].map(parse_bool)
    out["parcel_weight_kg"] = out["parcel_weight"].map(parse_weight_kg)
    out = out.drop(columns=["parcel_weight"])

    for col in ["distance_km", "driver_experience_yrs", "driver_rating", "traffic_index", "num_items"]:
        out[col] = pd.to_numeric(out[col], errors="coerce")

    # sentinels -> missing; negative distances/experience are sign errors (same shape as positives)
    out.loc[out["distance_km"].isin(DISTANCE_SENTINELS), "distance_km"] = np.nan
    out["distance_km"] = out["distance_km"].abs()
    out["driver_experience_yrs"] = out["driver_experience_yrs"].abs()

    # traffic recorded on a 0-100 scale for a few rows
    wrong_scale = out["traffic_index"] > TRAFFIC_MAX
    out.loc[wrong_scale, "traffic_index"] = out.loc[wrong_scale, "traffic_index"] / 10.0

    out["order_datetime"] = pd.to_datetime(out["order_datetime"], errors="coerce")
    return out
