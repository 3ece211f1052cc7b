"""Model factory and trainer."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable, Protocol

import numpy as np
import pandas as pd
from lightgbm import LGBMClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

from .config import ModelSpec
from .exceptions import ModelError, UnknownComponentError

log = logging.getLogger(__name__)


class Classifier(Protocol):
    def fit(self, X: Any, y: Any) -> Any: ...
    def predict(self, X: Any) -> np.ndarray: ...
    def predict_proba(self, X: Any) -> np.ndarray: ...


class ModelFactory:
    """Registry-based model factory."""

    _registry: dict[str, Callable[..., Classifier]] = {}

    @classmethod
    def register(cls, name: str) -> Callable[[Callable[..., Classifier]], Callable[..., Classifier]]:
        def decorator(builder: Callable[..., Classifier]) -> Callable[..., Classifier]:
            cls._registry[name] = builder
            return builder
        return decorator

    @classmethod
    def create(cls, spec: ModelSpec, random_state: int) -> Classifier:
        if spec.name not in cls._registry:
            raise UnknownComponentError("unknown model", context={"name": spec.name,
                                                                  "available": sorted(cls._registry)})
        try:
            return cls._registry[spec.name](random_state=random_state, **spec.params)
        except TypeError as exc:
            raise ModelError("invalid model parameters", context={"name": spec.name, "error": str(exc)}) from exc


@ModelFactory.register("logistic_regression")
def _logreg(random_state: int, **params: Any) -> Classifier:
    return LogisticRegression(random_state=random_state, **params)


@ModelFactory.register("random_forest")
def _random_forest(random_state: int, **params: Any) -> Classifier:
    return RandomForestClassifier(random_state=random_state, **params)


@ModelFactory.register("lightgbm")
def _lightgbm(random_state: int, **params: Any) -> Classifier:
    return LGBMClassifier(random_state=random_state, verbose=-1, **params)


@dataclass
class TrainedModel:
    name: str
    estimator: Classifier


class Trainer:
    """Fits every configured model on the same training data."""

    def __init__(self, specs: tuple[ModelSpec, ...], random_state: int) -> None:
        self._specs = specs
        self._random_state = random_state

    def fit_all(self, X: pd.DataFrame, y: pd.Series) -> list[TrainedModel]:
        if len(X) == 0:
            raise ModelError("cannot train on an empty feature matrix")
        trained: list[TrainedModel] = []
        for spec in self._specs:
            estimator = ModelFactory.create(spec, self._random_state)
            try:
                estimator.fit(X, y)
            except (ValueError, TypeError) as exc:
                raise ModelError("training failed", context={"model": spec.name, "error": str(exc)}) from exc
            log.info("trained %s", spec.name)
            trained.append(TrainedModel(spec.name, estimator))
        return trained
