"""Settings: YAML defaults + environment variable overrides."""
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict

import yaml

DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "config" / "default.yaml"

ENV_OVERRIDES = {
    "GAS_DB_PATH": "db_path",
    "GAS_HOLDOUT_PATH": "holdout_path",
    "GAS_OUTPUT_DIR": "output_dir",
    "GAS_ARTIFACT_DIR": "artifact_dir",
}


@dataclass
class Settings:
    raw: Dict[str, Any]
    paths: Dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, config_path: str = None) -> "Settings":
        path = Path(config_path) if config_path else DEFAULT_CONFIG
        with open(path) as f:
            raw = yaml.safe_load(f)
        paths = dict(raw.get("paths", {}))
        for env_name, key in ENV_OVERRIDES.items():
            if os.environ.get(env_name):
                paths[key] = os.environ[env_name]
        return cls(raw=raw, paths=paths)

    def __getitem__(self, key):
        return self.raw[key]

    def get(self, key, default=None):
        return self.raw.get(key, default)
