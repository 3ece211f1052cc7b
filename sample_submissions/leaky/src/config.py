"""Loading and validating the YAML configuration."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

REQUIRED_SECTIONS = ("data", "output", "cleaning", "features", "split", "threshold_grid", "models")


class ConfigError(Exception):
    """Raised when the configuration file is missing or invalid."""


def load_config(path: str | Path) -> dict[str, Any]:
    """Read ``path`` and check that every section the pipeline needs is present.

    Raises:
        ConfigError: if the file does not exist, is not valid YAML or misses a section.
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"Config file not found: {path}")
    try:
        with path.open(encoding="utf-8") as handle:
            cfg = yaml.safe_load(handle)
    except yaml.YAMLError as exc:
        raise ConfigError(f"Config file {path} is not valid YAML: {exc}") from exc

    if not isinstance(cfg, dict):
        raise ConfigError(f"Config file {path} must contain a mapping at the top level")
    missing = [section for section in REQUIRED_SECTIONS if section not in cfg]
    if missing:
        raise ConfigError(f"Config file {path} is missing section(s): {', '.join(missing)}")

    test_size = cfg["split"].get("test_size", 0.2)
    if not 0 < test_size < 1:
        raise ConfigError(f"split.test_size must be between 0 and 1, got {test_size}")
    if not cfg["models"]:
        raise ConfigError("At least one model must be listed under 'models'")
    return cfg
