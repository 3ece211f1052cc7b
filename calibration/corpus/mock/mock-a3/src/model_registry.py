"""Versioned on-disk model registry."""
from __future__ import annotations

import hashlib
import json
import pickle
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .exceptions import ModelError


@dataclass(frozen=True)
class ModelVersion:
    name: str
    version: int
    created_at: str
    sha256: str
    metrics: dict[str, float]


class ModelRegistry:
    """Stores pickled models under <root>/<name>/v<N>/ with a metadata file."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _versions(self, name: str) -> list[int]:
        model_dir = self.root / name
        if not model_dir.exists():
            return []
        return sorted(int(p.name[1:]) for p in model_dir.iterdir() if p.name.startswith("v"))

    def register(self, name: str, model: Any, metrics: dict[str, float]) -> ModelVersion:
        version = (self._versions(name) or [0])[-1] + 1
        target = self.root / name / f"v{version}"
        target.mkdir(parents=True, exist_ok=False)
        blob = pickle.dumps(model)
        (target / "model.pkl").write_bytes(blob)
        meta = ModelVersion(name, version, datetime.now(timezone.utc).isoformat(),
                            hashlib.sha256(blob).hexdigest(), metrics)
        (target / "meta.json").write_text(json.dumps(asdict(meta), indent=2))
        return meta

    def load(self, name: str, version: int | None = None) -> Any:
        versions = self._versions(name)
        if not versions:
            raise ModelError("no registered versions", context={"name": name})
        version = version or versions[-1]
        target = self.root / name / f"v{version}"
        blob = (target / "model.pkl").read_bytes()
        meta = json.loads((target / "meta.json").read_text())
        if hashlib.sha256(blob).hexdigest() != meta["sha256"]:
            raise ModelError("checksum mismatch", context={"name": name, "version": version})
        return pickle.loads(blob)
