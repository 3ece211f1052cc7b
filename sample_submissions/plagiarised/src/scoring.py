"""Metrics for the imbalanced label, the cut-off search and the predictions file."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.pipeline import Pipeline

from src.fitting import late_probability
from src.settings import SanityLimits
from src.transform import make_attributes, sanitise

log = logging.getLogger(__name__)


def best_cutoff(y: np.ndarray, p: np.ndarray, grid: tuple[float, float, float]) -> tuple[float, float]:
    """Cut-off from ``grid`` with the highest F1 (validation data only!).

    Equal scores are resolved in favour of the value nearest 0.5.
    """
    lo, hi, step = grid
    candidates = np.round(np.arange(lo, hi + step / 2, step), 4)
    f1s = np.array([f1_score(y, (p >= c).astype(int), zero_division=0) for c in candidates])
    top = f1s.max()
    level = candidates[np.isclose(f1s, top)]
    return float(level[np.argmin(np.abs(level - 0.5))]), float(top)


def compute_scores(y: np.ndarray, p: np.ndarray, cutoff: float) -> dict[str, Any]:
    yhat = (p >= cutoff).astype(int)
    tn, fp, fn, tp = confusion_matrix(y, yhat, labels=[0, 1]).ravel()
    return {
        "cutoff": round(float(cutoff), 4),
        "f1": round(float(f1_score(y, yhat, zero_division=0)), 4),
        "precision": round(float(precision_score(y, yhat, zero_division=0)), 4),
        "recall": round(float(recall_score(y, yhat, zero_division=0)), 4),
        "accuracy": round(float(accuracy_score(y, yhat)), 4),
        "roc_auc": round(float(roc_auc_score(y, p)), 4),
        "avg_precision": round(float(average_precision_score(y, p)), 4),
        "cm": {"tn": int(tn), "fp": int(fp), "fn": int(fn), "tp": int(tp)},
    }


def print_scores(tag: str, s: dict[str, Any]) -> None:
    cm = s["cm"]
    log.info(
        "%s | f1 %.3f  p %.3f  r %.3f  auc %.3f  acc %.3f  @%.2f  [tn %d fp %d fn %d tp %d]",
        tag,
        s["f1"],
        s["precision"],
        s["recall"],
        s["roc_auc"],
        s["accuracy"],
        s["cutoff"],
        cm["tn"],
        cm["fp"],
        cm["fn"],
        cm["tp"],
    )


def save_csv(table: pd.DataFrame, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(target, index=False)
    log.info("%d rows written to %s", len(table), target)


def score_frame(
    model: Pipeline, raw: pd.DataFrame, cutoff: float, limits: SanityLimits, key: str
) -> pd.DataFrame:
    """Clean + featurise an unlabelled table the training way and predict every row."""
    p = late_probability(model, make_attributes(sanitise(raw, limits)))
    out = pd.DataFrame(
        {key: raw[key].to_numpy(), "late": (p >= cutoff).astype(int), "late_proba": p.round(6)}
    )
    log.info("predicted %d rows, %.1f%% flagged late", len(out), 100 * out["late"].mean())
    return out
