"""Load, validate and override the pipeline configuration.

The configuration lives in a YAML file (``config.yaml`` by default) so that
experiments can be run without editing code.  A handful of the most common
settings can also be overridden from the command line (see ``src.main``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

logger = logging.getLogger(__name__)


class ConfigError(ValueError):
    """Raised when the configuration file is missing, unreadable or invalid."""


@dataclass(frozen=True)
class DataConfig:
    """Where the input data lives and which columns have a special role."""

    train_db: Path
    holdout_db: Path
    table: str
    target: str
    id_column: str


@dataclass(frozen=True)
class OutputConfig:
    """Where the pipeline writes its artefacts."""

    dir: Path
    predictions_file: str
    metrics_file: str
    model_file: str

    @property
    def predictions_path(self) -> Path:
        """Full path of the predictions CSV required by the assessors."""
        return self.dir / self.predictions_file

    @property
    def metrics_path(self) -> Path:
        """Full path of the JSON file that records every metric."""
        return self.dir / self.metrics_file

    @property
    def model_path(self) -> Path:
        """Full path of the serialised, refitted model pipeline."""
        return self.dir / self.model_file


@dataclass(frozen=True)
class CleaningConfig:
    """Plausibility limits used to turn impossible values into missing ones."""

    max_distance_km: float
    max_traffic_index: float


@dataclass(frozen=True)
class SplitConfig:
    """Sizes of the hold-out splits, number of CV folds and the random seed."""

    seed: int
    test_size: float
    validation_size: float
    cv_folds: int


@dataclass(frozen=True)
class TuningConfig:
    """Scoring metric for the grid search and the decision-threshold grid."""

    scoring: str
    threshold_grid: tuple[float, float, float]


@dataclass(frozen=True)
class PipelineConfig:
    """The complete, validated configuration of one pipeline run."""

    data: DataConfig
    output: OutputConfig
    cleaning: CleaningConfig
    split: SplitConfig
    tuning: TuningConfig
    models: dict[str, dict[str, list[Any]]] = field(default_factory=dict)


def _require(section: dict[str, Any], key: str, section_name: str) -> Any:
    """Return ``section[key]`` or raise a ConfigError naming the missing key."""
    if key not in section:
        raise ConfigError(f"config is missing '{section_name}.{key}'")
    return section[key]


def _validate(config: PipelineConfig) -> None:
    """Check value ranges that would otherwise fail deep inside scikit-learn."""
    split = config.split
    if not 0.0 < split.test_size < 0.5:
        raise ConfigError("split.test_size must be between 0 and 0.5")
    if not 0.0 < split.validation_size < 0.5:
        raise ConfigError("split.validation_size must be between 0 and 0.5")
    if split.test_size + split.validation_size >= 0.8:
        raise ConfigError("test_size + validation_size leaves too few training rows")
    if split.cv_folds < 2:
        raise ConfigError("split.cv_folds must be at least 2")
    if len(config.tuning.threshold_grid) != 3:
        raise ConfigError("tuning.threshold_grid must have exactly three values")
    start, stop, step = config.tuning.threshold_grid
    if not 0.0 < start < stop < 1.0 or step <= 0.0:
        raise ConfigError("tuning.threshold_grid must be [start, stop, step] inside (0, 1)")
    if not config.models:
        raise ConfigError("config must list at least one model under 'models'")


def load_config(path: str | Path) -> PipelineConfig:
    """Read a YAML configuration file and return a validated PipelineConfig.

    Raises:
        ConfigError: if the file does not exist, is not valid YAML or lacks a
            required key or has an out-of-range value.
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"configuration file not found: {path}")
    try:
        with path.open(encoding="utf-8") as handle:
            raw = yaml.safe_load(handle) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"could not parse {path}: {exc}") from exc

    data, output = raw.get("data", {}), raw.get("output", {})
    cleaning, split = raw.get("cleaning", {}), raw.get("split", {})
    tuning = raw.get("tuning", {})

    config = PipelineConfig(
        data=DataConfig(
            train_db=Path(_require(data, "train_db", "data")),
            holdout_db=Path(_require(data, "holdout_db", "data")),
            table=str(data.get("table", "deliveries")),
            target=str(data.get("target", "late")),
            id_column=str(data.get("id_column", "delivery_id")),
        ),
        output=OutputConfig(
            dir=Path(output.get("dir", "output")),
            predictions_file=str(output.get("predictions_file", "predictions.csv")),
            metrics_file=str(output.get("metrics_file", "metrics.json")),
            model_file=str(output.get("model_file", "model.joblib")),
        ),
        cleaning=CleaningConfig(
            max_distance_km=float(cleaning.get("max_distance_km", 100.0)),
            max_traffic_index=float(cleaning.get("max_traffic_index", 10.0)),
        ),
        split=SplitConfig(
            seed=int(split.get("seed", 42)),
            test_size=float(split.get("test_size", 0.15)),
            validation_size=float(split.get("validation_size", 0.15)),
            cv_folds=int(split.get("cv_folds", 5)),
        ),
        tuning=TuningConfig(
            scoring=str(tuning.get("scoring", "f1")),
            threshold_grid=tuple(float(v) for v in tuning.get("threshold_grid", [0.1, 0.9, 0.01])),
        ),
        models=dict(raw.get("models") or {}),
    )
    _validate(config)
    logger.info("Loaded configuration from %s", path)
    return config
