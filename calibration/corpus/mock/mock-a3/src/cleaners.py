"""Data cleaning components.

Stateless cleaners implement ``apply``; stateful cleaners learn parameters in
``fit`` and must be fitted before ``apply``. ``CleanerChain`` composes them.
"""
from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from .exceptions import EmptyDatasetError, TransformationError

log = logging.getLogger(__name__)


class Cleaner(ABC):
    """Base class for all cleaners."""

    #: whether the cleaner may drop rows (skipped at inference time)
    drops_rows: bool = False

    def fit(self, frame: pd.DataFrame) -> "Cleaner":
        return self

    @abstractmethod
    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        ...

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class TextNormaliser(Cleaner):
    """Trim whitespace and lowercase text columns."""

    def __init__(self, columns: Sequence[str]) -> None:
        self.columns = list(columns)

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.copy()
        for col in self.columns:
            out[col] = out[col].astype("string").str.strip().str.lower()
            out[col] = out[col].astype(object).where(out[col].notna(), np.nan)
        return out


class UnitWeightParser(Cleaner):
    """Parse strings like '2.9 kg' / '3180g' into a float column in kilograms."""

    _PATTERN = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(kg|g)\s*$", re.IGNORECASE)
    _FACTORS = {"kg": 1.0, "g": 0.001}

    def __init__(self, source: str, target: str) -> None:
        self.source = source
        self.target = target

    def _parse(self, value: object) -> float:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return np.nan
        match = self._PATTERN.match(str(value))
        if not match:
            return np.nan
        return float(match.group(1)) * self._FACTORS[match.group(2).lower()]

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.copy()
        out[self.target] = out[self.source].map(self._parse).astype(float)
        return out.drop(columns=[self.source])


class BooleanNormaliser(Cleaner):
    """Map heterogeneous truthy/falsy tokens to 0/1."""

    TRUE_TOKENS = frozenset({"1", "true", "yes", "y", "t"})
    FALSE_TOKENS = frozenset({"0", "false", "no", "n", "f"})

    def __init__(self, columns: Sequence[str]) -> None:
        self.columns = list(columns)

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.copy()
        for col in self.columns:
            tokens = out[col].astype("string").str.strip().str.lower()
            mapped = np.where(tokens.isin(self.TRUE_TOKENS), 1.0,
                              np.where(tokens.isin(self.FALSE_TOKENS), 0.0, np.nan))
            out[col] = mapped
        return out


class DuplicateRemover(Cleaner):
    """Drop exact duplicate rows."""

    drops_rows = True

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        before = len(frame)
        out = frame.drop_duplicates().reset_index(drop=True)
        log.info("removed %d duplicate rows", before - len(out))
        if out.empty:
            raise EmptyDatasetError("no rows left after de-duplication")
        return out


class IQROutlierClipper(Cleaner):
    """Clip numeric columns to [Q1 - k*IQR, Q3 + k*IQR]."""

    def __init__(self, columns: Sequence[str], k: float = 1.5) -> None:
        self.columns = list(columns)
        self.k = k
        self.bounds_: dict[str, tuple[float, float]] | None = None

    def fit(self, frame: pd.DataFrame) -> "IQROutlierClipper":
        self.bounds_ = {}
        for col in self.columns:
            q1, q3 = frame[col].quantile([0.25, 0.75])
            iqr = q3 - q1
            self.bounds_[col] = (q1 - self.k * iqr, q3 + self.k * iqr)
        log.debug("IQR bounds: %s", self.bounds_)
        return self

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        if self.bounds_ is None:
            raise TransformationError("IQROutlierClipper used before fit")
        out = frame.copy()
        for col, (lo, hi) in self.bounds_.items():
            out[col] = out[col].clip(lower=lo, upper=hi)
        return out


class MedianImputer(Cleaner):
    """Fill numeric NaNs with the column median learnt at fit time."""

    def __init__(self, columns: Sequence[str]) -> None:
        self.columns = list(columns)
        self.medians_: dict[str, float] | None = None

    def fit(self, frame: pd.DataFrame) -> "MedianImputer":
        self.medians_ = {c: float(frame[c].median()) for c in self.columns}
        return self

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        if self.medians_ is None:
            raise TransformationError("MedianImputer used before fit")
        return frame.fillna(self.medians_)


class ConstantImputer(Cleaner):
    """Fill NaNs in the given columns with a constant token."""

    def __init__(self, columns: Sequence[str], value: str = "unknown") -> None:
        self.columns = list(columns)
        self.value = value

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame.fillna({c: self.value for c in self.columns})


class CleanerChain:
    """Ordered composition of cleaners."""

    def __init__(self, steps: Iterable[Cleaner]) -> None:
        self.steps = list(steps)

    def fit_apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        for step in self.steps:
            frame = step.fit(frame).apply(frame)
        return frame

    def apply(self, frame: pd.DataFrame, inference: bool = False) -> pd.DataFrame:
        for step in self.steps:
            if inference and step.drops_rows:
                continue
            frame = step.apply(frame)
        return frame

    def __repr__(self) -> str:
        return "CleanerChain(" + " -> ".join(repr(s) for s in self.steps) + ")"
