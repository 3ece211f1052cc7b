"""Typed configuration objects.

Configuration is loaded from a JSON file and can be overridden by environment
variables prefixed with ``LATEPRED_`` (e.g. ``LATEPRED_TEST_SIZE=0.3``).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .exceptions import ConfigurationError


@dataclass(frozen=True)
class DataConfig:
    db_path: str = "data/deliveries.db"
    holdout_path: str = "data/holdout.db"
    table: str = "deliveries"
    target: str = "late"
    id_column: str = "delivery_id"


@dataclass(frozen=True)
class CleaningConfig:
    iqr_multiplier: float = 1.5
    outlier_columns: tuple[str, ...] = ("distance_km", "driver_experience_yrs", "traffic_index")
    drop_duplicates: bool = True


@dataclass(frozen=True)
class FeatureConfig:
    datetime_column: str = "order_datetime"
    categorical_encoder: str = "onehot"
    numeric_scaler: str = "standard"


@dataclass(frozen=True)
class ModelSpec:
    name: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TrainingConfig:
    test_size: float = 0.2
    random_state: int = 42
    primary_metric: str = "f1"
    models: tuple[ModelSpec, ...] = ()


@dataclass(frozen=True)
class OutputConfig:
    directory: str = "output"
    predictions_file: str = "predictions.csv"
    metrics_file: str = "metrics.json"


@dataclass(frozen=True)
class PipelineConfig:
    data: DataConfig
    cleaning: CleaningConfig
    features: FeatureConfig
    training: TrainingConfig
    output: OutputConfig


_ENV_PREFIX = "LATEPRED_"
_ENV_OVERRIDES = {
    "DB_PATH": ("data", "db_path", str),
    "HOLDOUT_PATH": ("data", "holdout_path", str),
    "TEST_SIZE": ("training", "test_size", float),
    "RANDOM_STATE": ("training", "random_state", int),
    "OUTPUT_DIR": ("output", "directory", str),
}


def _build(cls: type, raw: dict[str, Any]) -> Any:
    known = {f.name for f in fields(cls)}
    unknown = set(raw) - known
    if unknown:
        raise ConfigurationError(f"unknown keys for {cls.__name__}", context={"keys": sorted(unknown)})
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}
    return cls(**kwargs)


def load_config(path: str | os.PathLike[str]) -> PipelineConfig:
    """Load config JSON and apply environment overrides."""
    p = Path(path)
    if not p.exists():
        raise ConfigurationError("config file not found", context={"path": str(p)})
    try:
        raw: dict[str, Any] = json.loads(p.read_text())
    except json.JSONDecodeError as exc:
        raise ConfigurationError("config file is not valid JSON", context={"error": str(exc)}) from exc

    for env_key, (section, key, caster) in _ENV_OVERRIDES.items():
        value = os.environ.get(_ENV_PREFIX + env_key)
        if value is None:
            continue
        try:
            raw.setdefault(section, {})[key] = caster(value)
        except ValueError as exc:
            raise ConfigurationError("bad environment override", context={"var": _ENV_PREFIX + env_key}) from exc

    training_raw = dict(raw.get("training", {}))
    models = tuple(ModelSpec(**m) for m in training_raw.pop("models", []))
    if not models:
        raise ConfigurationError("at least one model must be configured")
    training = _build(TrainingConfig, training_raw)
    training = TrainingConfig(**{**training.__dict__, "models": models})
    if not 0.0 < training.test_size < 1.0:
        raise ConfigurationError("test_size must be in (0, 1)", context={"test_size": training.test_size})

    return PipelineConfig(
        data=_build(DataConfig, raw.get("data", {})),
        cleaning=_build(CleaningConfig, raw.get("cleaning", {})),
        features=_build(FeatureConfig, raw.get("features", {})),
        training=training,
        output=_build(OutputConfig, raw.get("output", {})),
    )
