"""Load and validate the YAML configuration used by every pipeline stage."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import yaml

logger = logging.getLogger(__name__)

REQUIRED_SECTIONS = ("data", "output", "split", "features", "search", "models", "threshold")


class ConfigError(ValueError):
    """Raised when the configuration file is missing or incomplete."""


def load_config(path: str | Path) -> dict[str, Any]:
    """Read the YAML config and check that all required sections are present."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    with path.open(encoding="utf-8") as fh:
        cfg = yaml.safe_load(fh) or {}
    missing = [s for s in REQUIRED_SECTIONS if s not in cfg]
    if missing:
        raise ConfigError(f"config {path} is missing section(s): {', '.join(missing)}")
    logger.info("Loaded config from %s", path)
    return cfg
