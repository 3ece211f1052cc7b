"""Model families that can be compared, each wrapped with the column prep."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sklearn.base import ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from src.transform import make_column_prep

log = logging.getLogger(__name__)

MODEL_STEP = "clf"


@dataclass(frozen=True)
class ModelSpec:
    name: str
    estimator: Pipeline
    grid: dict[str, list[Any]]


def _boosting(rs: int) -> ClassifierMixin:
    return HistGradientBoostingClassifier(
        class_weight="balanced", early_stopping=False, random_state=rs
    )


def _logreg(rs: int) -> ClassifierMixin:
    # balanced weights because only about a quarter of the rows are late
    return LogisticRegression(class_weight="balanced", max_iter=2000, random_state=rs)


def _forest(rs: int) -> ClassifierMixin:
    return RandomForestClassifier(class_weight="balanced_subsample", n_jobs=1, random_state=rs)


FAMILIES: dict[str, Callable[[int], ClassifierMixin]] = {
    "logreg": _logreg,
    "forest": _forest,
    "boosting": _boosting,
}


def wrap_with_prep(model: ClassifierMixin) -> Pipeline:
    return Pipeline(steps=[("prep", make_column_prep()), (MODEL_STEP, model)])


def assemble_specs(grids: dict[str, dict[str, list[Any]]], rs: int) -> list[ModelSpec]:
    """One ModelSpec per family named in the options; grid keys get the step prefix."""
    strange = sorted(set(grids) - set(FAMILIES))
    if strange:
        raise ValueError(
            f"unsupported model family: {', '.join(strange)} "
            f"(available: {', '.join(FAMILIES)})"
        )

    specs = []
    for family, grid in grids.items():
        prefixed = {
            f"{MODEL_STEP}__{key}": list(vals if isinstance(vals, list) else [vals])
            for key, vals in (grid or {}).items()
        }
        specs.append(ModelSpec(family, wrap_with_prep(FAMILIES[family](rs)), prefixed))
        log.info("queued %s, grid=%s", family, grid)
    return specs
