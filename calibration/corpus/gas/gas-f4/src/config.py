"""Configuration loading: TOML file plus dotted command-line overrides."""
from __future__ import annotations

import ast
import logging
import tomllib
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)


class ConfigError(ValueError):
    """Raised when the configuration file is missing or malformed."""


def _parse_value(raw: str) -> Any:
    """Interpret an override value as a Python literal, falling back to a plain string."""
    try:
        return ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return raw


def apply_overrides(config: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Apply `section.key=value` overrides in place and return the config."""
    for item in overrides:
        if "=" not in item:
            raise ConfigError(f"Override '{item}' must look like section.key=value")
        dotted, raw = item.split("=", 1)
        *parents, leaf = dotted.split(".")
        node = config
        for part in parents:
            if part not in node or not isinstance(node[part], dict):
                raise ConfigError(f"Unknown config section '{part}' in override '{item}'")
            node = node[part]
        if leaf not in node:
            raise ConfigError(f"Unknown config key '{dotted}'")
        node[leaf] = _parse_value(raw)
        logger.info("Config override %s = %r", dotted, node[leaf])
    return config


def load_config(path: str | Path, overrides: list[str] | None = None) -> dict[str, Any]:
    """Read the TOML config and apply command-line overrides."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"Config file not found: {path}")
    try:
        with path.open("rb") as fh:
            config = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Invalid TOML in {path}: {exc}") from exc
    return apply_overrides(config, overrides or [])
