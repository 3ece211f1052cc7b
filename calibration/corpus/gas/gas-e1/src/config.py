"""Loading and light validation of the YAML configuration."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

REQUIRED_SECTIONS = ("data", "output", "split", "cleaning", "features", "models")


class ConfigError(ValueError):
    """Raised when the configuration file is missing or incomplete."""


def load_config(path: str | Path) -> dict[str, Any]:
    """Read the YAML config and check that every section the pipeline needs is there."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    with path.open() as fh:
        cfg = yaml.safe_load(fh) or {}
    missing = [s for s in REQUIRED_SECTIONS if s not in cfg]
    if missing:
        raise ConfigError(f"config {path} is missing sections: {', '.join(missing)}")
    if not any(m.get("enabled", True) for m in cfg["models"].values()):
        raise ConfigError("no model is enabled in the config")
    return cfg
