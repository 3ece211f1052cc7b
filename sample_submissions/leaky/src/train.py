"""Training the candidate models and choosing the best one."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from sklearn.base import ClassifierMixin, clone
from sklearn.model_selection import ParameterGrid

from src.evaluate import best_threshold, compute_metrics
from src.models import build_model
from src.preprocessing import Datasets

logger = logging.getLogger(__name__)


@dataclass
class Candidate:
    """One trained model configuration and its scores."""

    name: str
    params: dict[str, Any]
    model: ClassifierMixin
    threshold: float
    metrics: dict[str, float]
    fit_seconds: float


@dataclass
class SelectionResult:
    """The winning candidate plus every candidate that was tried (for the report)."""

    best: Candidate
    candidates: list[Candidate] = field(default_factory=list)


def train_candidates(data: Datasets, cfg: dict[str, Any]) -> SelectionResult:
    """Fit every model/hyper-parameter combination of the config and keep the best by F1.

    Each combination is trained on the training split and scored on the test split at its own
    best decision threshold; the combination with the highest F1 wins.
    """
    seed = cfg["split"]["seed"]
    grid = tuple(cfg["threshold_grid"])
    candidates: list[Candidate] = []

    for name, param_grid in cfg["models"].items():
        for params in ParameterGrid(param_grid):
            start = time.perf_counter()
            model = build_model(name, params, seed)
            model.fit(data.X_train, data.y_train)
            elapsed = time.perf_counter() - start

            proba = model.predict_proba(data.X_test)[:, 1]
            threshold, _ = best_threshold(data.y_test.to_numpy(), proba, grid)
            metrics = compute_metrics(data.y_test.to_numpy(), proba, threshold)
            candidates.append(Candidate(name, params, model, threshold, metrics, elapsed))
            logger.info("%-19s %-55s F1=%.3f AUC=%.3f (t=%.2f, %.1fs)", name, params,
                        metrics["f1"], metrics["roc_auc"], threshold, elapsed)

    best = max(candidates, key=lambda c: c.metrics["f1"])
    logger.info("Best model: %s %s with test F1 %.3f at threshold %.2f",
                best.name, best.params, best.metrics["f1"], best.threshold)
    return SelectionResult(best=best, candidates=candidates)


def refit_on_all(best: Candidate, data: Datasets) -> ClassifierMixin:
    """Refit the chosen configuration on every labelled row for the final predictions."""
    final_model = clone(best.model)
    final_model.fit(data.X, data.y)
    return final_model
