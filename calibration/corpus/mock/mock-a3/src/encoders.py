"""Categorical encoders."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Sequence

import numpy as np
import pandas as pd

from .exceptions import TransformationError, UnknownComponentError


class CategoricalEncoder(ABC):
    """Base class for categorical encoders."""

    def __init__(self, columns: Sequence[str]) -> None:
        self.columns = list(columns)
        self._fitted = False

    @abstractmethod
    def fit(self, frame: pd.DataFrame, y: pd.Series | None = None) -> "CategoricalEncoder":
        ...

    @abstractmethod
    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        ...

    def fit_transform(self, frame: pd.DataFrame, y: pd.Series | None = None) -> pd.DataFrame:
        return self.fit(frame, y).transform(frame)

    def _require_fitted(self) -> None:
        if not self._fitted:
            raise TransformationError(f"{type(self).__name__} is not fitted")


class OneHotEncoder(CategoricalEncoder):
    """One-hot encoding; unseen categories map to all zeros."""

    def fit(self, frame: pd.DataFrame, y: pd.Series | None = None) -> "OneHotEncoder":
        self.categories_ = {c: sorted(frame[c].dropna().astype(str).unique()) for c in self.columns}
        self._fitted = True
        return self

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        self._require_fitted()
        out = frame.drop(columns=self.columns)
        for col in self.columns:
            values = frame[col].astype(str)
            for cat in self.categories_[col]:
                out[f"{col}__{cat}"] = (values == cat).astype(np.int8)
        return out


class OrdinalEncoder(CategoricalEncoder):
    """Map each category to an integer; unseen -> -1."""

    def fit(self, frame: pd.DataFrame, y: pd.Series | None = None) -> "OrdinalEncoder":
        self.mapping_ = {c: {v: i for i, v in enumerate(sorted(frame[c].dropna().astype(str).unique()))}
                         for c in self.columns}
        self._fitted = True
        return self

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        self._require_fitted()
        out = frame.copy()
        for col in self.columns:
            out[col] = out[col].astype(str).map(self.mapping_[col]).fillna(-1).astype(int)
        return out


class FrequencyEncoder(CategoricalEncoder):
    """Replace category with its relative frequency in the training data."""

    def fit(self, frame: pd.DataFrame, y: pd.Series | None = None) -> "FrequencyEncoder":
        self.freq_ = {c: frame[c].astype(str).value_counts(normalize=True).to_dict() for c in self.columns}
        self._fitted = True
        return self

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        self._require_fitted()
        out = frame.copy()
        for col in self.columns:
            out[col] = out[col].astype(str).map(self.freq_[col]).fillna(0.0)
        return out


class TargetMeanEncoder(CategoricalEncoder):
    """Smoothed target-mean encoding."""

    def __init__(self, columns: Sequence[str], smoothing: float = 10.0) -> None:
        super().__init__(columns)
        self.smoothing = smoothing

    def fit(self, frame: pd.DataFrame, y: pd.Series | None = None) -> "TargetMeanEncoder":
        if y is None:
            raise TransformationError("TargetMeanEncoder requires y")
        self.prior_ = float(y.mean())
        self.encoding_ = {}
        for col in self.columns:
            stats = y.groupby(frame[col].astype(str)).agg(["mean", "count"])
            weight = stats["count"] / (stats["count"] + self.smoothing)
            self.encoding_[col] = (weight * stats["mean"] + (1 - weight) * self.prior_).to_dict()
        self._fitted = True
        return self

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        self._require_fitted()
        out = frame.copy()
        for col in self.columns:
            out[col] = out[col].astype(str).map(self.encoding_[col]).fillna(self.prior_)
        return out


class EncoderFactory:
    """Creates encoders by name."""

    _registry: dict[str, type[CategoricalEncoder]] = {
        "onehot": OneHotEncoder,
        "ordinal": OrdinalEncoder,
        "frequency": FrequencyEncoder,
        "target": TargetMeanEncoder,
    }

    @classmethod
    def create(cls, name: str, columns: Sequence[str]) -> CategoricalEncoder:
        try:
            return cls._registry[name](columns)
        except KeyError as exc:
            raise UnknownComponentError("unknown encoder", context={"name": name}) from exc
