"""Load and minimally validate the YAML configuration."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

REQUIRED_SECTIONS = ("data", "output", "cleaning", "features", "split", "search")


class ConfigError(ValueError):
    """Raised when the configuration file is missing or incomplete."""


def load_config(path: str | Path) -> dict[str, Any]:
    """Read the YAML file at `path` and check that every section the pipeline uses is present."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    with path.open(encoding="utf-8") as handle:
        config = yaml.safe_load(handle) or {}
    missing = [section for section in REQUIRED_SECTIONS if section not in config]
    if missing:
        raise ConfigError(f"config {path} is missing section(s): {', '.join(missing)}")
    return config
