"""Artifact store: versioned folder per run with model pickles + metrics json."""
import json
import pickle
import time
from pathlib import Path


class ArtifactStore:
    def __init__(self, root: str):
        self.root = Path(root)
        self.run_id = time.strftime("run_%Y%m%d_%H%M%S")
        self.run_dir = self.root / self.run_id
        self.run_dir.mkdir(parents=True, exist_ok=True)

    def save_model(self, name, model):
        path = self.run_dir / f"{name}.pkl"
        with open(path, "wb") as f:
            pickle.dump(model, f)
        return str(path)

    def save_json(self, name, obj):
        path = self.run_dir / f"{name}.json"
        path.write_text(json.dumps(obj, indent=2, default=str))
        return str(path)

    def latest_model(self, name):
        runs = sorted(p for p in self.root.glob("run_*") if (p / f"{name}.pkl").exists())
        if not runs:
            raise FileNotFoundError(f"no saved model '{name}' in {self.root}")
        with open(runs[-1] / f"{name}.pkl", "rb") as f:
            return pickle.load(f)
