"""Loading of ``config.yaml`` into a typed settings object."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CONFIG_FILE = Path(__file__).resolve().parent.parent / "config.yaml"


@dataclass(frozen=True)
class Settings:
    """All the knobs of the pipeline, read from config.yaml."""

    train_db: str
    holdout_db: str
    table: str
    output_dir: Path
    target: str
    id_column: str
    max_distance_km: float
    max_traffic_index: float
    bad_weather: list[str]
    rush_hours: list[int]
    test_size: float
    cv_folds: int
    random_state: int
    model_grids: dict[str, dict[str, list[Any]]] = field(default_factory=dict)


def load_settings(path: Path = CONFIG_FILE) -> Settings:
    """Read the YAML file at ``path`` and flatten it into :class:`Settings`."""
    try:
        with open(path, encoding="utf-8") as handle:
            raw = yaml.safe_load(handle)
    except FileNotFoundError as err:
        raise SystemExit(f"config file not found: {path}") from err
    except yaml.YAMLError as err:
        raise SystemExit(f"config file {path} is not valid YAML: {err}") from err

    try:
        return Settings(
            train_db=raw["paths"]["train_db"],
            holdout_db=raw["paths"]["holdout_db"],
            table=raw["paths"]["table"],
            output_dir=Path(raw["paths"]["output_dir"]),
            target=raw["columns"]["target"],
            id_column=raw["columns"]["id"],
            max_distance_km=float(raw["cleaning"]["max_distance_km"]),
            max_traffic_index=float(raw["cleaning"]["max_traffic_index"]),
            bad_weather=list(raw["cleaning"]["bad_weather"]),
            rush_hours=[int(h) for h in raw["cleaning"]["rush_hours"]],
            test_size=float(raw["split"]["test_size"]),
            cv_folds=int(raw["split"]["cv_folds"]),
            random_state=int(raw["split"]["random_state"]),
            model_grids=raw["models"],
        )
    except (KeyError, TypeError) as err:
        raise SystemExit(f"config file {path} is missing a setting: {err}") from err
