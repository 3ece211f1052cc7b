"""Shared helpers: config loading and logging setup."""
import logging
import os
from pathlib import Path
from typing import Any, Dict

import yaml

DEFAULT_CONFIG = "config/pipeline.yaml"


def load_config(path: str | None = None) -> Dict[str, Any]:
    """Load the YAML config. Path precedence: argument > $PIPELINE_CONFIG > default."""
    cfg_path = Path(path or os.environ.get("PIPELINE_CONFIG", DEFAULT_CONFIG))
    if not cfg_path.is_file():
        raise FileNotFoundError(f"Config file not found: {cfg_path}")
    with cfg_path.open() as fh:
        cfg = yaml.safe_load(fh)
    if not isinstance(cfg, dict):
        raise ValueError(f"Config file {cfg_path} is empty or malformed")
    return cfg


def setup_logging(log_file: str) -> logging.Logger:
    """Log to console and to a file in the output folder."""
    Path(log_file).parent.mkdir(parents=True, exist_ok=True)
    fmt = "%(asctime)s | %(levelname)-7s | %(module)s | %(message)s"
    logging.basicConfig(
        level=logging.INFO,
        format=fmt,
        handlers=[logging.StreamHandler(), logging.FileHandler(log_file, mode="w")],
    )
    return logging.getLogger("pipeline")
