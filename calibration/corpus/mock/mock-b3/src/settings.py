"""Pipeline settings.

Every value has a default here and can be overridden with an environment
variable of the same name, e.g. ``LATE_MODELS=logreg,lightgbm bash run.sh``.
"""
import os
from dataclasses import dataclass, field


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


@dataclass(frozen=True)
class Settings:
    train_db: str = _env("LATE_TRAIN_DB", "data/deliveries.db")
    holdout_db: str = _env("LATE_HOLDOUT_DB", "data/holdout.db")
    output_dir: str = _env("LATE_OUTPUT_DIR", "output")
    test_size: float = float(_env("LATE_TEST_SIZE", "0.2"))
    cv_folds: int = int(_env("LATE_CV_FOLDS", "3"))
    n_iter: int = int(_env("LATE_N_ITER", "6"))
    seed: int = int(_env("LATE_SEED", "2024"))
    models: tuple = field(default_factory=lambda: tuple(
        m.strip() for m in _env("LATE_MODELS", "logreg,random_forest,lightgbm").split(",") if m.strip()))
