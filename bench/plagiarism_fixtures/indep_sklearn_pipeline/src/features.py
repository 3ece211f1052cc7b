"""Custom transformers used inside the sklearn Pipeline."""
import re

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

_WEIGHT = re.compile(r"([0-9]*\.?[0-9]+)\s*(kg|g)", re.IGNORECASE)


class WeightParser(BaseEstimator, TransformerMixin):
    """`2.4 kg` / `850g` -> kilograms as float."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        col = pd.DataFrame(X).iloc[:, 0]

        def parse(v):
            found = _WEIGHT.search(v) if isinstance(v, str) else None
            if found is None:
                return np.nan
            amount = float(found.group(1))
            return amount if found.group(2).lower() == "kg" else amount / 1000.0
        return col.map(parse).to_numpy().reshape(-1, 1)

    def get_feature_names_out(self, input_features=None):
        return np.array(["weight_kg"])


class CategoryCleaner(BaseEstimator, TransformerMixin):
    def fit(self, X, y=None):
        return self

    def transform(self, X):
        frame = pd.DataFrame(X).copy()
        for c in frame.columns:
            frame[c] = frame[c].astype("object").where(frame[c].notna(), "missing")
            frame[c] = frame[c].map(lambda s: str(s).strip().lower())
        return frame


class ExpressFlag(BaseEstimator, TransformerMixin):
    def fit(self, X, y=None):
        return self

    def transform(self, X):
        col = pd.DataFrame(X).iloc[:, 0].astype(str).str.strip().str.lower()
        return col.isin(["1", "yes", "true"]).astype(float).to_numpy().reshape(-1, 1)


class OrderTime(BaseEstimator, TransformerMixin):
    def fit(self, X, y=None):
        return self

    def transform(self, X):
        stamp = pd.to_datetime(pd.DataFrame(X).iloc[:, 0], errors="coerce")
        return np.column_stack([stamp.dt.hour, stamp.dt.dayofweek, stamp.dt.month]).astype(float)


class RangeGuard(BaseEstimator, TransformerMixin):
    """Negative values are sign errors; values above `upper` become missing."""

    def __init__(self, upper=None):
        self.upper = upper

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        values = np.abs(np.asarray(X, dtype=float))
        if self.upper is not None:
            values = np.where(values > self.upper, np.nan, values)
        return values
