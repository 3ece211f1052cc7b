"""Load the YAML configuration into a plain dictionary and check the keys the pipeline relies on."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

REQUIRED_SECTIONS = ("data", "cleaning", "split", "search", "models", "threshold", "output")


class ConfigError(ValueError):
    """Raised when the configuration file is missing or incomplete."""


def load_config(path: str | Path) -> dict[str, Any]:
    """Read ``path`` and return the config, failing early with a clear message if a section is missing."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    with path.open() as fh:
        cfg = yaml.safe_load(fh) or {}
    missing = [s for s in REQUIRED_SECTIONS if s not in cfg]
    if missing:
        raise ConfigError(f"config {path} is missing section(s): {', '.join(missing)}")
    if not cfg["models"]:
        raise ConfigError("config lists no models to train")
    return cfg
