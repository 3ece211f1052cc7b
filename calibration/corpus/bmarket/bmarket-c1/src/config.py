"""Load and sanity-check the YAML configuration that drives the pipeline."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import yaml

logger = logging.getLogger(__name__)

REQUIRED_SECTIONS = ("data", "output", "cleaning", "split", "cv", "threshold", "models")


class ConfigError(ValueError):
    """Raised when the configuration file is missing or incomplete."""


def load_config(path: str | Path) -> dict[str, Any]:
    """Read the YAML config and check that every section the pipeline relies on exists."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"Config file not found: {path}")
    with path.open("r", encoding="utf-8") as handle:
        config = yaml.safe_load(handle) or {}

    missing = [section for section in REQUIRED_SECTIONS if section not in config]
    if missing:
        raise ConfigError(f"Config {path} is missing section(s): {', '.join(missing)}")

    enabled = [name for name, spec in config["models"].items() if spec.get("enabled", True)]
    if not enabled:
        raise ConfigError("At least one model must be enabled under 'models'.")
    logger.info("Loaded config %s (models: %s)", path, ", ".join(enabled))
    return config
