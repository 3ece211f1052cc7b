"""Pure functions: every step takes a frame and returns a new one."""
import json
import math
import sqlite3
from functools import reduce
from typing import Callable

import pandas as pd

Step = Callable[[pd.DataFrame], pd.DataFrame]

TRUTHY = frozenset({"1", "yes", "true"})
UNIT_FACTOR = {"kg": 1.0, "g": 0.001}


def compose(*steps: Step) -> Step:
    return lambda frame: reduce(lambda acc, step: step(acc), steps, frame)


def read_db(path: str) -> pd.DataFrame:
    with sqlite3.connect(path) as con:
        return pd.read_sql("SELECT * FROM deliveries", con)


def read_config(path: str) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def parse_weight(value) -> float:
    if not isinstance(value, str):
        return math.nan
    text = value.strip().lower()
    for unit in ("kg", "g"):
        if text.endswith(unit):
            number = text[: -len(unit)].strip()
            try:
                return float(number) * UNIT_FACTOR[unit]
            except ValueError:
                return math.nan
    return math.nan


def normalise_text(columns) -> Step:
    def step(frame):
        return frame.assign(**{c: frame[c].fillna("none").astype(str).str.strip().str.lower() for c in columns})
    return step


def to_flag(column: str) -> Step:
    return lambda frame: frame.assign(**{column: frame[column].astype(str).str.lower().isin(TRUTHY).astype(int)})


def with_weight(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(weight=frame["parcel_weight"].map(parse_weight))


def bounded(column: str, low: float, high: float) -> Step:
    return lambda frame: frame.assign(**{column: frame[column].where(frame[column].between(low, high))})


def absolute(column: str) -> Step:
    return lambda frame: frame.assign(**{column: frame[column].abs()})


def time_parts(frame: pd.DataFrame) -> pd.DataFrame:
    ts = pd.to_datetime(frame["order_datetime"], errors="coerce")
    return frame.assign(hour_sin=(ts.dt.hour * 2 * math.pi / 24).map(math.sin),
                        hour_cos=(ts.dt.hour * 2 * math.pi / 24).map(math.cos),
                        month=ts.dt.month)


def fill_with(values: dict) -> Step:
    return lambda frame: frame.fillna(values)


def one_hot(columns, reference=None) -> Step:
    def step(frame):
        encoded = pd.get_dummies(frame, columns=list(columns), dtype=int)
        if reference is not None:
            encoded = encoded.reindex(columns=reference, fill_value=0)
        return encoded
    return step


def select(columns) -> Step:
    return lambda frame: frame[[c for c in frame.columns if c in set(columns) or "_" in c and
                                c.split("_")[0] in {"region", "vehicle", "weather", "customer"}]]


CLEAN = compose(
    normalise_text(["region", "vehicle_type", "weather", "customer_tier"]),
    to_flag("express"),
    with_weight,
    absolute("distance_km"),
    absolute("driver_experience_yrs"),
    bounded("distance_km", 0, 400),
    bounded("traffic_index", 0, 10),
    time_parts,
)
NUMERIC = ["distance_km", "weight", "num_items", "driver_experience_yrs", "driver_rating",
           "traffic_index", "hour_sin", "hour_cos", "month", "express"]
