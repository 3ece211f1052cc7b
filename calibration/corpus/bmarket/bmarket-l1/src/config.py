"""Loading of the YAML configuration, with dotted command-line overrides.

Keeping every tunable value in ``config.yaml`` means an experiment (fewer folds, another model
set, a fixed threshold) is a command-line flag, not a code edit.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml


class ConfigError(ValueError):
    """Raised when the configuration file is missing or an override is malformed."""


def load_config(path: str | Path, overrides: list[str] | None = None) -> dict[str, Any]:
    """Read ``path`` and apply ``key.subkey=value`` overrides (values parsed as YAML)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"Config file not found: {path}")
    with path.open() as fh:
        cfg = yaml.safe_load(fh) or {}
    for item in overrides or []:
        cfg = _apply_override(cfg, item)
    return cfg


def _apply_override(cfg: dict[str, Any], item: str) -> dict[str, Any]:
    """Return a copy of ``cfg`` with one dotted ``key=value`` override applied."""
    if "=" not in item:
        raise ConfigError(f"Override must look like section.key=value, got {item!r}")
    dotted_key, raw_value = item.split("=", 1)
    keys = dotted_key.strip().split(".")
    new_cfg = copy.deepcopy(cfg)
    node = new_cfg
    for key in keys[:-1]:
        if key not in node or not isinstance(node[key], dict):
            raise ConfigError(f"Unknown config section {key!r} in override {item!r}")
        node = node[key]
    if keys[-1] not in node:
        raise ConfigError(f"Unknown config key {dotted_key!r}")
    node[keys[-1]] = yaml.safe_load(raw_value)
    return new_cfg
