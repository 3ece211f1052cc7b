"""Cleaning and feature engineering for the deliveries data.

DeliveryCleaner fixes the data quality problems (units, spellings, sentinels, signs) and fills
missing values. FeatureBuilder adds the derived features and one-hot encodes the categoricals.
Both have fit/transform so the holdout gets exactly the same treatment as the training data.
"""
import re

import numpy as np
import pandas as pd

TRUE_VALUES = {"yes", "true", "1"}
FALSE_VALUES = {"no", "false", "0"}
NUMERIC_COLS = ["distance_km", "parcel_weight_kg", "num_items", "driver_experience_yrs",
                "driver_rating", "traffic_index"]
CATEGORICAL_COLS = ["region", "vehicle_type", "weather", "customer_tier"]


def parse_weight(value) -> float:
    """Convert '1.9 kg', '1.9kg', '4360g' or '4360 g' to kilograms. Returns NaN if not parseable."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    match = re.match(r"^\s*([\d.]+)\s*(kg|g)\s*$", str(value).lower())
    if not match:
        return np.nan
    number, unit = float(match.group(1)), match.group(2)
    return number / 1000 if unit == "g" else number


def parse_express(value) -> float:
    """Map the 10 different spellings of the express flag to 1/0."""
    v = str(value).strip().lower()
    if v in TRUE_VALUES:
        return 1.0
    if v in FALSE_VALUES:
        return 0.0
    return np.nan


class DeliveryCleaner:
    """Fix data errors and impute missing values. Fill values are learnt in fit()."""

    def __init__(self, distance_sentinels, traffic_min=0, traffic_max=10):
        self.distance_sentinels = distance_sentinels
        self.traffic_min = traffic_min
        self.traffic_max = traffic_max
        self.medians_ = {}
        self.modes_ = {}

    def _fix(self, df: pd.DataFrame) -> pd.DataFrame:
        df = df.copy()
        # text columns: inconsistent case and spaces (' NORTH ', 'van ')
        for col in ["region", "vehicle_type", "weather", "customer_tier"]:
            df[col] = df[col].astype("string").str.strip().str.lower()

        df["parcel_weight_kg"] = df["parcel_weight"].apply(parse_weight)
        df["express"] = df["express"].apply(parse_express)

        for col in ["distance_km", "num_items", "driver_experience_yrs", "driver_rating", "traffic_index"]:
            df[col] = pd.to_numeric(df[col], errors="coerce")

        # distance: 999/5000/9999 are placeholders, negatives are sign errors
        df.loc[df["distance_km"].isin(self.distance_sentinels), "distance_km"] = np.nan
        df["distance_km"] = df["distance_km"].abs()
        df["driver_experience_yrs"] = df["driver_experience_yrs"].abs()
        # traffic index is defined on 0-10
        df["traffic_index"] = df["traffic_index"].clip(self.traffic_min, self.traffic_max)

        df["order_datetime"] = pd.to_datetime(df["order_datetime"], errors="coerce")
        return df

    def fit(self, df: pd.DataFrame):
        fixed = self._fix(df)
        for col in NUMERIC_COLS:
            self.medians_[col] = fixed[col].median()
        for col in CATEGORICAL_COLS + ["express"]:
            self.modes_[col] = fixed[col].mode().iloc[0]
        return self

    def transform(self, df: pd.DataFrame) -> pd.DataFrame:
        fixed = self._fix(df)
        for col, value in self.medians_.items():
            fixed[col] = fixed[col].fillna(value)
        for col, value in self.modes_.items():
            fixed[col] = fixed[col].fillna(value)
        return fixed

    def fit_transform(self, df: pd.DataFrame) -> pd.DataFrame:
        return self.fit(df).transform(df)


class FeatureBuilder:
    """Derived features + one-hot encoding with the column set fixed at fit time."""

    def __init__(self):
        self.columns_ = None

    @staticmethod
    def _derive(df: pd.DataFrame) -> pd.DataFrame:
        out = df.copy()
        ts = out["order_datetime"]
        out["hour"] = ts.dt.hour.fillna(12)
        out["day_of_week"] = ts.dt.day_of_week.fillna(0)
        out["is_weekend"] = (out["day_of_week"] >= 5).astype(int)
        out["is_rush_hour"] = out["hour"].isin([7, 8, 9, 17, 18, 19]).astype(int)
        out["month"] = ts.dt.month.fillna(6)
        out["kg_per_item"] = out["parcel_weight_kg"] / out["num_items"].clip(lower=1)
        out["log_distance"] = np.log1p(out["distance_km"])
        return out

    def _encode(self, df: pd.DataFrame) -> pd.DataFrame:
        feats = df[NUMERIC_COLS + ["express", "hour", "day_of_week", "is_weekend", "is_rush_hour",
                                   "month", "kg_per_item", "log_distance"] + CATEGORICAL_COLS]
        return pd.get_dummies(feats, columns=CATEGORICAL_COLS, dtype=float)

    def fit(self, df: pd.DataFrame):
        self.columns_ = list(self._encode(self._derive(df)).columns)
        return self

    def transform(self, df: pd.DataFrame) -> pd.DataFrame:
        encoded = self._encode(self._derive(df))
        return encoded.reindex(columns=self.columns_, fill_value=0.0)

    def fit_transform(self, df: pd.DataFrame) -> pd.DataFrame:
        return self.fit(df).transform(df)
