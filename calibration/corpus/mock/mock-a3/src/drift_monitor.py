"""Data drift monitoring using the Population Stability Index."""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DriftResult:
    column: str
    psi: float
    drifted: bool


class PSICalculator:
    """PSI between a reference and a current sample of a numeric column."""

    def __init__(self, n_bins: int = 10, eps: float = 1e-6) -> None:
        self.n_bins = n_bins
        self.eps = eps

    def compute(self, reference: pd.Series, current: pd.Series) -> float:
        edges = np.unique(np.quantile(reference.dropna(), np.linspace(0, 1, self.n_bins + 1)))
        ref_counts, _ = np.histogram(reference.dropna(), bins=edges)
        cur_counts, _ = np.histogram(current.dropna(), bins=edges)
        ref_pct = ref_counts / max(ref_counts.sum(), 1) + self.eps
        cur_pct = cur_counts / max(cur_counts.sum(), 1) + self.eps
        return float(np.sum((cur_pct - ref_pct) * np.log(cur_pct / ref_pct)))


class DriftMonitor:
    """Flags columns whose PSI exceeds a threshold."""

    def __init__(self, columns: list[str], threshold: float = 0.2) -> None:
        self.columns = columns
        self.threshold = threshold
        self._psi = PSICalculator()

    def check(self, reference: pd.DataFrame, current: pd.DataFrame) -> list[DriftResult]:
        results = []
        for col in self.columns:
            psi = self._psi.compute(reference[col], current[col])
            results.append(DriftResult(col, round(psi, 4), psi > self.threshold))
            if psi > self.threshold:
                log.warning("drift detected in %s (PSI=%.3f)", col, psi)
        return results
