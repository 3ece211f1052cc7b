"""Repository, cleaner and trainer classes."""
from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score
from sklearn.model_selection import StratifiedKFold

log = logging.getLogger("delivery")


class DeliveryRepository:
    """Reads the deliveries table from one SQLite file."""

    def __init__(self, db_file: str, table: str = "deliveries") -> None:
        self.db_file = db_file
        self.table = table

    def fetch(self) -> pd.DataFrame:
        with sqlite3.connect(self.db_file) as connection:
            cursor = connection.execute(f"SELECT * FROM {self.table}")
            names = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
        log.info("fetched %d rows from %s", len(rows), self.db_file)
        return pd.DataFrame.from_records(rows, columns=names)


@dataclass
class Cleaner:
    """Learns fill values on training data and applies them to any table."""

    categorical: tuple[str, ...] = ("region", "vehicle_type", "weather", "customer_tier")
    fills: dict[str, float] = field(default_factory=dict)
    levels: dict[str, list[str]] = field(default_factory=dict)

    @staticmethod
    def _grams(value: object) -> float:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return np.nan
        text = str(value).replace(" ", "").lower()
        if text.endswith("kg"):
            return float(text[:-2]) * 1000
        if text.endswith("g"):
            return float(text[:-1])
        return np.nan

    def _basic(self, df: pd.DataFrame) -> pd.DataFrame:
        df = df.copy()
        for column in self.categorical:
            df[column] = df[column].map(lambda v: str(v).strip().title() if v is not None else "Missing")
        df["express"] = df["express"].map(lambda v: 1 if str(v).strip().lower() in ("1", "yes", "true") else 0)
        df["grams"] = df["parcel_weight"].map(self._grams)
        df["distance_km"] = df["distance_km"].where(df["distance_km"].between(0, 500), np.nan)
        df["driver_experience_yrs"] = df["driver_experience_yrs"].where(df["driver_experience_yrs"] >= 0)
        df["traffic_index"] = df["traffic_index"].clip(upper=10)
        when = pd.to_datetime(df["order_datetime"])
        df["order_hour"] = when.dt.hour
        df["is_weekend"] = (when.dt.weekday >= 5).astype(int)
        return df

    def fit(self, df: pd.DataFrame) -> "Cleaner":
        base = self._basic(df)
        for column in ("grams", "distance_km", "driver_experience_yrs", "driver_rating", "traffic_index"):
            self.fills[column] = float(base[column].median())
        for column in self.categorical:
            self.levels[column] = sorted(base[column].unique())
        return self

    def transform(self, df: pd.DataFrame) -> pd.DataFrame:
        base = self._basic(df).fillna(self.fills)
        parts = [base[["grams", "distance_km", "driver_experience_yrs", "driver_rating", "traffic_index",
                       "num_items", "express", "order_hour", "is_weekend"]]]
        for column, levels in self.levels.items():
            for level in levels[1:]:
                parts.append((base[column] == level).astype(int).rename(f"{column}={level}"))
        return pd.concat(parts, axis=1)


class ModelTrainer:
    """Cross-validates several classifiers and keeps the best by F1."""

    def __init__(self, folds: int, seed: int) -> None:
        self.folds = folds
        self.seed = seed
        self.models = {
            "random_forest": RandomForestClassifier(n_estimators=300, min_samples_leaf=3,
                                                    class_weight="balanced_subsample", random_state=seed),
            "gradient_boosting": GradientBoostingClassifier(learning_rate=0.08, n_estimators=250,
                                                            max_depth=3, random_state=seed),
        }
        self.scores: dict[str, dict[str, float]] = {}
        self.best_name: str | None = None

    def evaluate(self, features: pd.DataFrame, target: np.ndarray) -> None:
        splitter = StratifiedKFold(self.folds, shuffle=True, random_state=self.seed)
        for name, model in self.models.items():
            collected = {"f1": [], "precision": [], "recall": [], "accuracy": []}
            for train_idx, test_idx in splitter.split(features, target):
                model.fit(features.iloc[train_idx], target[train_idx])
                guess = model.predict(features.iloc[test_idx])
                truth = target[test_idx]
                collected["f1"].append(f1_score(truth, guess))
                collected["precision"].append(precision_score(truth, guess))
                collected["recall"].append(recall_score(truth, guess))
                collected["accuracy"].append(accuracy_score(truth, guess))
            self.scores[name] = {k: float(np.mean(v)) for k, v in collected.items()}
            log.info("%s: %s", name, self.scores[name])
        self.best_name = max(self.scores, key=lambda n: self.scores[n]["f1"])

    def final_model(self, features: pd.DataFrame, target: np.ndarray):
        model = self.models[self.best_name]
        model.fit(features, target)
        return model
