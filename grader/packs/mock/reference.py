"""The mock pack's reference pipeline: the yardstick candidates' held-out scores are compared to.

It cleans every planted problem, derives the rush-hour / weekend features, fits a gradient
boosting model inside a scikit-learn Pipeline and picks the decision threshold on a validation
split. It runs on the host against pack data only (never on a submission).
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

NUMERIC = [
    "distance_km", "weight_kg", "num_items", "driver_experience_yrs", "driver_rating",
    "traffic_index", "hour", "weekday", "rush_hour", "weekend", "express_flag",
]
CATEGORICAL = ["region", "vehicle_type", "weather", "customer_tier"]
_WEIGHT = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(kg|g)\s*$", re.IGNORECASE)


def _weight_kg(text: object) -> float:
    if not isinstance(text, str):
        return np.nan
    match = _WEIGHT.match(text)
    if not match:
        return np.nan
    value = float(match.group(1))
    return value / 1000.0 if match.group(2).lower() == "g" else value


def clean(frame: pd.DataFrame) -> pd.DataFrame:
    """Fix the planted problems and derive the time features."""
    df = frame.copy()
    for col in ("region", "vehicle_type", "weather", "customer_tier"):
        df[col] = df[col].map(lambda v: v.strip().lower() if isinstance(v, str) else np.nan)
    df["distance_km"] = df["distance_km"].abs()
    df.loc[df["distance_km"] > 200, "distance_km"] = np.nan
    df["weight_kg"] = df["parcel_weight"].map(_weight_kg)
    df.loc[df["driver_experience_yrs"] < 0, "driver_experience_yrs"] = np.nan
    df.loc[df["traffic_index"] > 10, "traffic_index"] = np.nan
    df["express_flag"] = df["express"].astype(str).str.strip().str.lower().isin(["1", "yes", "true"]).astype(int)
    when = pd.to_datetime(df["order_datetime"], errors="coerce")
    df["hour"] = when.dt.hour
    df["weekday"] = when.dt.day_of_week
    df["rush_hour"] = df["hour"].isin([7, 8, 9, 17, 18, 19]).astype(int)
    df["weekend"] = (df["weekday"] >= 5).astype(int)
    return df


def build_model(seed: int = 0) -> Pipeline:
    pre = ColumnTransformer(
        [
            ("num", SimpleImputer(strategy="median"), NUMERIC),
            (
                "cat",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="constant", fill_value="missing")),
                        ("onehot", OneHotEncoder(handle_unknown="ignore")),
                    ]
                ),
                CATEGORICAL,
            ),
        ],
        sparse_threshold=0.0,
    )
    model = HistGradientBoostingClassifier(max_iter=250, learning_rate=0.05, random_state=seed)
    return Pipeline([("pre", pre), ("model", model)])


def _read(db: Path, table: str) -> pd.DataFrame:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return pd.read_sql_query(f'SELECT * FROM "{table}"', conn)


def predict_holdout(train_db: Path, holdout_db: Path, table: str, target: str, seed: int = 0) -> pd.DataFrame:
    """Train on the training table and return id, predicted label and probability for the held-out rows."""
    train = clean(_read(train_db, table).drop_duplicates())
    holdout = clean(_read(holdout_db, table))
    features = NUMERIC + CATEGORICAL
    x_fit, x_val, y_fit, y_val = train_test_split(
        train[features], train[target], test_size=0.2, stratify=train[target], random_state=seed
    )
    model = build_model(seed).fit(x_fit, y_fit)
    val_proba = model.predict_proba(x_val)[:, 1]
    thresholds = np.linspace(0.1, 0.7, 61)
    best = max(thresholds, key=lambda t: f1_score(y_val, (val_proba >= t).astype(int)))
    final = build_model(seed).fit(train[features], train[target])
    proba = final.predict_proba(holdout[features])[:, 1]
    return pd.DataFrame(
        {"delivery_id": holdout["delivery_id"], target: (proba >= best).astype(int), f"{target}_proba": proba}
    )
