"""Feature transformers."""
from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from itertools import combinations
from typing import Sequence

import numpy as np
import pandas as pd

from .encoders import CategoricalEncoder, EncoderFactory
from .exceptions import TransformationError, UnknownComponentError

log = logging.getLogger(__name__)


class FeatureTransformer(ABC):
    """Base class for feature transformers (fit/transform protocol)."""

    def fit(self, frame: pd.DataFrame, y: pd.Series | None = None) -> "FeatureTransformer":
        return self

    @abstractmethod
    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        ...

    def fit_transform(self, frame: pd.DataFrame, y: pd.Series | None = None) -> pd.DataFrame:
        return self.fit(frame, y).transform(frame)


class DatetimeFeatureExtractor(FeatureTransformer):
    """Expand a datetime column into calendar parts and drop the original."""

    def __init__(self, column: str, parts: Sequence[str] = ("hour", "dayofweek", "month")) -> None:
        self.column = column
        self.parts = tuple(parts)

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.copy()
        ts = pd.to_datetime(out[self.column], errors="coerce")
        if ts.isna().all():
            raise TransformationError("datetime column could not be parsed", context={"column": self.column})
        accessors = {"hour": ts.dt.hour, "dayofweek": ts.dt.day_of_week, "month": ts.dt.month,
                     "day": ts.dt.day, "quarter": ts.dt.quarter}
        for part in self.parts:
            out[f"{self.column}_{part}"] = accessors[part].fillna(-1).astype(int)
        return out.drop(columns=[self.column])


class NumericScaler(FeatureTransformer):
    """Standard or min-max scaling of numeric columns."""

    def __init__(self, columns: Sequence[str], method: str = "standard") -> None:
        if method not in {"standard", "minmax"}:
            raise UnknownComponentError("unknown scaling method", context={"method": method})
        self.columns = list(columns)
        self.method = method
        self.params_: dict[str, tuple[float, float]] | None = None

    def fit(self, frame: pd.DataFrame, y: pd.Series | None = None) -> "NumericScaler":
        self.params_ = {}
        for col in self.columns:
            if self.method == "standard":
                loc, scale = frame[col].mean(), frame[col].std()
            else:
                loc, scale = frame[col].min(), frame[col].max() - frame[col].min()
            self.params_[col] = (float(loc), float(scale) if scale else 1.0)
        return self

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        if self.params_ is None:
            raise TransformationError("NumericScaler used before fit")
        out = frame.copy()
        for col, (loc, scale) in self.params_.items():
            out[col] = (out[col] - loc) / scale
        return out


class InteractionFeatureGenerator(FeatureTransformer):
    """Pairwise products of numeric columns."""

    def __init__(self, columns: Sequence[str]) -> None:
        self.columns = list(columns)

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.copy()
        for a, b in combinations(self.columns, 2):
            out[f"{a}_x_{b}"] = out[a] * out[b]
        return out


class QuantileBinner(FeatureTransformer):
    """Bin numeric columns into quantile buckets."""

    def __init__(self, columns: Sequence[str], n_bins: int = 5) -> None:
        self.columns = list(columns)
        self.n_bins = n_bins
        self.edges_: dict[str, np.ndarray] | None = None

    def fit(self, frame: pd.DataFrame, y: pd.Series | None = None) -> "QuantileBinner":
        self.edges_ = {c: np.unique(frame[c].quantile(np.linspace(0, 1, self.n_bins + 1)).to_numpy())
                       for c in self.columns}
        return self

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        if self.edges_ is None:
            raise TransformationError("QuantileBinner used before fit")
        out = frame.copy()
        for col, edges in self.edges_.items():
            out[f"{col}_bin"] = np.digitize(out[col], edges[1:-1])
        return out


class LogTransformer(FeatureTransformer):
    """log1p transform for skewed non-negative columns."""

    def __init__(self, columns: Sequence[str]) -> None:
        self.columns = list(columns)

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.copy()
        for col in self.columns:
            out[f"log_{col}"] = np.log1p(out[col].clip(lower=0))
        return out


class EncoderAdapter(FeatureTransformer):
    """Adapts a CategoricalEncoder to the FeatureTransformer protocol."""

    def __init__(self, encoder: CategoricalEncoder) -> None:
        self.encoder = encoder

    def fit(self, frame: pd.DataFrame, y: pd.Series | None = None) -> "EncoderAdapter":
        self.encoder.fit(frame, y)
        return self

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        return self.encoder.transform(frame)


class FeaturePipeline:
    """Sequential composition of FeatureTransformers."""

    def __init__(self, steps: Sequence[FeatureTransformer]) -> None:
        self.steps = list(steps)
        self.feature_names_: list[str] | None = None

    def fit_transform(self, frame: pd.DataFrame, y: pd.Series | None = None) -> pd.DataFrame:
        for step in self.steps:
            frame = step.fit(frame, y).transform(frame)
        self.feature_names_ = list(frame.columns)
        return frame

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        if self.feature_names_ is None:
            raise TransformationError("FeaturePipeline used before fit")
        for step in self.steps:
            frame = step.transform(frame)
        return frame.reindex(columns=self.feature_names_, fill_value=0)


class FeaturePipelineBuilder:
    """Fluent builder for FeaturePipeline."""

    def __init__(self) -> None:
        self._steps: list[FeatureTransformer] = []

    def with_datetime(self, column: str) -> "FeaturePipelineBuilder":
        self._steps.append(DatetimeFeatureExtractor(column))
        return self

    def with_encoder(self, name: str, columns: Sequence[str]) -> "FeaturePipelineBuilder":
        self._steps.append(EncoderAdapter(EncoderFactory.create(name, columns)))
        return self

    def with_scaler(self, columns: Sequence[str], method: str = "standard") -> "FeaturePipelineBuilder":
        self._steps.append(NumericScaler(columns, method))
        return self

    def with_interactions(self, columns: Sequence[str]) -> "FeaturePipelineBuilder":
        self._steps.append(InteractionFeatureGenerator(columns))
        return self

    def with_binning(self, columns: Sequence[str], n_bins: int = 5) -> "FeaturePipelineBuilder":
        self._steps.append(QuantileBinner(columns, n_bins))
        return self

    def with_log(self, columns: Sequence[str]) -> "FeaturePipelineBuilder":
        self._steps.append(LogTransformer(columns))
        return self

    def build(self) -> FeaturePipeline:
        return FeaturePipeline(self._steps)
