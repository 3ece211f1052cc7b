"""Load the YAML configuration and expose it as a plain dictionary."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class ConfigError(Exception):
    """Raised when the configuration file is missing or incomplete."""


REQUIRED_SECTIONS = ("data", "cleaning", "features", "split", "models", "tuning", "output")


def load_config(path: str | Path) -> dict[str, Any]:
    """Read `path` and check that every section the pipeline relies on is present."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    with path.open(encoding="utf-8") as handle:
        cfg = yaml.safe_load(handle) or {}
    missing = [section for section in REQUIRED_SECTIONS if section not in cfg]
    if missing:
        raise ConfigError(f"config {path} lacks section(s): {', '.join(missing)}")
    return cfg
