"""Run context passed between pipeline steps."""
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

import pandas as pd

from .settings import Settings


@dataclass
class RunContext:
    settings: Settings
    raw: Optional[pd.DataFrame] = None
    clean: Optional[pd.DataFrame] = None
    X: Optional[pd.DataFrame] = None
    y: Optional[pd.Series] = None
    splits: Dict[str, Any] = field(default_factory=dict)
    models: Dict[str, Any] = field(default_factory=dict)
    scores: Dict[str, Dict[str, float]] = field(default_factory=dict)
    best_model: Optional[str] = None
    feature_columns: Optional[list] = None
    artifacts: Dict[str, str] = field(default_factory=dict)
