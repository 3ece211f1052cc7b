"""Load and sanity-check the YAML configuration."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from src.errors import ConfigError

REQUIRED_SECTIONS = ("data", "output", "cleaning", "features", "split", "training", "threshold")


def load_config(path: str | Path) -> dict[str, Any]:
    """Read the YAML config and check that every section the pipeline needs is present."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    try:
        with path.open() as fh:
            config = yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file {path} is not valid YAML: {exc}") from exc
    if not isinstance(config, dict):
        raise ConfigError(f"config file {path} is empty or not a mapping")
    missing = [s for s in REQUIRED_SECTIONS if s not in config]
    if missing:
        raise ConfigError(f"config file {path} is missing sections: {missing}")
    return config
