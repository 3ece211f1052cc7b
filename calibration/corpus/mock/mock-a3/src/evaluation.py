"""Model evaluation."""
from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score

from .models import TrainedModel

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MetricsReport:
    model: str
    accuracy: float
    precision: float
    recall: float
    f1: float
    roc_auc: float


class Evaluator:
    """Computes binary classification metrics for trained models."""

    def evaluate(self, model: TrainedModel, X: pd.DataFrame, y: pd.Series) -> MetricsReport:
        proba = model.estimator.predict_proba(X)[:, 1]
        pred = (proba >= 0.5).astype(int)
        report = MetricsReport(
            model=model.name,
            accuracy=round(float(accuracy_score(y, pred)), 4),
            precision=round(float(precision_score(y, pred, zero_division=0)), 4),
            recall=round(float(recall_score(y, pred, zero_division=0)), 4),
            f1=round(float(f1_score(y, pred, zero_division=0)), 4),
            roc_auc=round(float(roc_auc_score(y, proba)), 4),
        )
        log.info("%s", report)
        return report

    def select_best(self, reports: list[MetricsReport], metric: str) -> MetricsReport:
        return max(reports, key=lambda r: getattr(r, metric))

    @staticmethod
    def save(reports: list[MetricsReport], best: str, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"best_model": best, "reports": [asdict(r) for r in reports]}
        path.write_text(json.dumps(payload, indent=2))
