"""Loading and checking the YAML configuration."""
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError

REQUIRED_SECTIONS = ("data", "split", "cleaning", "baseline", "search", "threshold", "diagnostics", "output")


def load_config(path: str | Path) -> dict[str, Any]:
    """Read the YAML file and make sure every section the pipeline uses is present."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    with path.open() as fh:
        cfg = yaml.safe_load(fh) or {}
    missing = [s for s in REQUIRED_SECTIONS if s not in cfg]
    if missing:
        raise ConfigError(f"config {path} lacks section(s): {', '.join(missing)}")
    costs = cfg["threshold"]
    if costs["cost_false_positive"] <= 0 or costs["cost_false_negative"] <= 0:
        raise ConfigError("threshold costs must be positive")
    return cfg
