"""Deterministic generator of the mock test's late-delivery data (SPEC §4).

The target is drawn from a known process over the *clean* values; the planted problems
(duplicates, messy categories, unit strings, sign errors, outliers, missing values) are applied
afterwards, so cleaning and feature engineering measurably raise held-out F1.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20240611
N_TRAIN = 12_000
N_HOLDOUT = 3_000
DUPLICATE_SHARE = 0.01
SIGNAL_SCALE = 1.6
INTERCEPT = -6.55
TABLE = "deliveries"
TARGET = "late"
ID_COLUMN = "delivery_id"

REGIONS = ["North", "South", "East", "West", "Central"]
VEHICLES = ["van", "motorcycle", "truck", "bicycle"]
WEATHERS = ["clear", "rain", "storm", "haze"]
TIERS = ["standard", "premium", "business"]

COLUMNS: list[tuple[str, str]] = [
    ("delivery_id", "TEXT"),
    ("order_datetime", "TEXT"),
    ("region", "TEXT"),
    ("distance_km", "REAL"),
    ("parcel_weight", "TEXT"),
    ("num_items", "INTEGER"),
    ("vehicle_type", "TEXT"),
    ("driver_experience_yrs", "REAL"),
    ("driver_rating", "REAL"),
    ("weather", "TEXT"),
    ("traffic_index", "REAL"),
    ("customer_tier", "TEXT"),
    ("express", "TEXT"),
    ("late", "INTEGER"),
]


@dataclass(frozen=True)
class MockData:
    """The three frames a pack needs: training rows, held-out features and held-out labels."""

    train: pd.DataFrame
    holdout: pd.DataFrame
    labels: pd.DataFrame
    clean: pd.DataFrame  # the true values of every row, for tests and the reference pipeline


def _clean_rows(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """True values of n deliveries, before any planted problem."""
    start = np.datetime64("2024-01-01T00:00:00")
    day = rng.integers(0, 366, n)
    # Orders cluster around the morning and evening rush.
    hour_weights = np.array(
        [1, 1, 1, 1, 1, 2, 4, 8, 9, 7, 6, 6, 7, 6, 6, 6, 7, 9, 9, 7, 5, 3, 2, 1], dtype=float
    )
    hour = rng.choice(24, n, p=hour_weights / hour_weights.sum())
    minute = rng.integers(0, 60, n)
    second = rng.integers(0, 60, n)
    offsets = day * 86400 + hour * 3600 + minute * 60 + second
    timestamps = start + offsets.astype("timedelta64[s]")
    weekday = ((day + 0) % 7)  # 2024-01-01 is a Monday: 0=Mon .. 6=Sun
    region = rng.choice(REGIONS, n, p=[0.22, 0.2, 0.18, 0.18, 0.22])
    vehicle = rng.choice(VEHICLES, n, p=[0.45, 0.3, 0.15, 0.10])
    distance = np.round(rng.lognormal(mean=1.9, sigma=0.55, size=n), 2)
    distance = np.clip(distance, 0.3, 60.0)
    weight_kg = np.round(rng.gamma(shape=2.0, scale=1.6, size=n), 2) + 0.05
    num_items = rng.integers(1, 21, n)
    experience = np.round(np.clip(rng.gamma(2.2, 2.5, n), 0.0, 35.0), 1)
    rating = np.round(np.clip(rng.normal(4.1, 0.5, n), 1.0, 5.0), 1)
    weather = rng.choice(WEATHERS, n, p=[0.55, 0.25, 0.08, 0.12])
    traffic = np.round(np.clip(rng.normal(4.5, 2.0, n) + np.isin(hour, [7, 8, 17, 18]) * 1.5, 0, 10), 2)
    tier = rng.choice(TIERS, n, p=[0.6, 0.25, 0.15])
    express = rng.random(n) < 0.3

    rush = np.isin(hour, [7, 8, 9, 17, 18, 19])
    weekend = weekday >= 5
    weather_effect = pd.Series(weather).map({"clear": 0.0, "rain": 0.45, "storm": 0.9, "haze": 0.25}).to_numpy()
    # weather x distance: bad weather hurts long trips most
    weather_distance = pd.Series(weather).map({"clear": 0.0, "rain": 0.05, "storm": 0.13, "haze": 0.02}).to_numpy()
    vehicle_effect = pd.Series(vehicle).map(
        {"van": 0.0, "motorcycle": -0.35, "truck": 0.45, "bicycle": -0.1}
    ).to_numpy()
    bicycle_distance = (vehicle == "bicycle") * 0.12 * distance
    signal = (
        0.085 * distance
        + weather_distance * distance
        + weather_effect
        + 1.15 * rush
        + 0.35 * weekend
        + 0.22 * traffic
        + 0.11 * weight_kg
        + 0.025 * num_items
        - 0.07 * experience
        - 0.45 * (rating - 4.0)
        + vehicle_effect
        + bicycle_distance
        - 0.45 * express
        + np.where(tier == "business", -0.2, 0.0)
        + np.where(region == "Central", 0.3, 0.0)
    )
    logit = SIGNAL_SCALE * signal + INTERCEPT
    p = 1.0 / (1.0 + np.exp(-logit))
    late = (rng.random(n) < p).astype(int)
    return pd.DataFrame(
        {
            "order_datetime": pd.to_datetime(timestamps).strftime("%Y-%m-%d %H:%M:%S"),
            "region": region,
            "distance_km": distance,
            "weight_kg": weight_kg,
            "num_items": num_items,
            "vehicle_type": vehicle,
            "driver_experience_yrs": experience,
            "driver_rating": rating,
            "weather": weather,
            "traffic_index": traffic,
            "customer_tier": tier,
            "express": express,
            "late": late,
        }
    )


def _mess_case(rng: np.random.Generator, values: np.ndarray, share: float) -> np.ndarray:
    """Lower/upper-case and pad a share of category values (`north`, ` NORTH `)."""
    out = values.astype(object).copy()
    pick = np.flatnonzero(rng.random(len(out)) < share)
    styles = rng.integers(0, 4, len(pick))
    for i, style in zip(pick, styles, strict=True):
        v = str(out[i])
        out[i] = [v.lower(), v.upper(), f" {v.upper()} ", f"{v.lower()} "][style]
    return out


def _weight_strings(rng: np.random.Generator, kg: np.ndarray) -> np.ndarray:
    """Weights as text with units: `2.4 kg`, `1.2kg`, `850 g`, `850g`."""
    out = np.empty(len(kg), dtype=object)
    style = rng.integers(0, 4, len(kg))
    for i, (w, s) in enumerate(zip(kg, style, strict=True)):
        if s == 0:
            out[i] = f"{w:.1f} kg"
        elif s == 1:
            out[i] = f"{w:.1f}kg"
        elif s == 2:
            out[i] = f"{int(round(w * 1000))} g"
        else:
            out[i] = f"{int(round(w * 1000))}g"
    return out


def _express_strings(rng: np.random.Generator, flags: np.ndarray) -> np.ndarray:
    yes = np.array(["1", "Yes", "TRUE", "yes", "True"], dtype=object)
    no = np.array(["0", "no", "FALSE", "No", "false"], dtype=object)
    return np.where(flags, rng.choice(yes, len(flags)), rng.choice(no, len(flags)))


def _plant_problems(rng: np.random.Generator, clean: pd.DataFrame) -> pd.DataFrame:
    """The raw table candidates see: every problem of SPEC §4 applied to the clean values."""
    n = len(clean)
    raw = pd.DataFrame({"delivery_id": clean["delivery_id"], "order_datetime": clean["order_datetime"]})
    raw["region"] = _mess_case(rng, clean["region"].to_numpy(), 0.15)

    distance = clean["distance_km"].to_numpy().astype(float).copy()
    negative = rng.random(n) < 0.02
    distance[negative] = -distance[negative]
    absurd = np.flatnonzero(rng.random(n) < 0.002)
    distance[absurd] = rng.choice([999.0, 5000.0, 9999.0], len(absurd))
    raw["distance_km"] = distance

    weights = _weight_strings(rng, clean["weight_kg"].to_numpy())
    weights[rng.random(n) < 0.05] = None
    raw["parcel_weight"] = weights
    raw["num_items"] = clean["num_items"].to_numpy()
    raw["vehicle_type"] = _mess_case(rng, clean["vehicle_type"].to_numpy(), 0.2)

    experience = clean["driver_experience_yrs"].to_numpy().astype(float).copy()
    wrong_sign = (rng.random(n) < 0.012) & (experience > 0)
    experience[wrong_sign] = -experience[wrong_sign]
    experience[rng.random(n) < 0.05] = np.nan
    raw["driver_experience_yrs"] = experience

    rating = clean["driver_rating"].to_numpy().astype(float).copy()
    rating[rng.random(n) < 0.08] = np.nan
    raw["driver_rating"] = rating

    weather = clean["weather"].to_numpy().astype(object).copy()
    weather[rng.random(n) < 0.10] = None
    raw["weather"] = weather

    traffic = clean["traffic_index"].to_numpy().astype(float).copy()
    spikes = np.flatnonzero(rng.random(n) < 0.004)
    traffic[spikes] = np.round(rng.uniform(25, 99, len(spikes)), 1)
    raw["traffic_index"] = traffic
    raw["customer_tier"] = clean["customer_tier"].to_numpy()
    raw["express"] = _express_strings(rng, clean["express"].to_numpy())
    raw["late"] = clean["late"].to_numpy()
    return raw


def generate(seed: int = SEED, n_train: int = N_TRAIN, n_holdout: int = N_HOLDOUT) -> MockData:
    """Build the training table (with ~1% exact duplicate rows) and the held-out split."""
    rng = np.random.default_rng(seed)
    n_dup = int(round(n_train * DUPLICATE_SHARE))
    n_unique = n_train - n_dup + n_holdout
    clean = _clean_rows(rng, n_unique)
    ids = rng.choice(np.arange(10_000, 9_999_999), n_unique, replace=False)
    clean.insert(0, "delivery_id", [f"D{i:07d}" for i in ids])
    raw = _plant_problems(rng, clean)

    # Stratified held-out split, so both sides keep the same share of late deliveries.
    order = rng.permutation(n_unique)
    late = raw["late"].to_numpy()[order]
    pos, neg = order[late == 1], order[late == 0]
    n_hold_pos = int(round(n_holdout * len(pos) / n_unique))
    hold_idx = np.sort(np.concatenate([pos[:n_hold_pos], neg[: n_holdout - n_hold_pos]]))
    is_hold = np.zeros(n_unique, dtype=bool)
    is_hold[hold_idx] = True

    train = raw[~is_hold].reset_index(drop=True)
    dup_rows = train.iloc[rng.choice(len(train), n_dup, replace=False)]
    train = pd.concat([train, dup_rows], ignore_index=True)
    train = train.iloc[rng.permutation(len(train))].reset_index(drop=True)

    holdout_full = raw[is_hold].reset_index(drop=True)
    holdout = holdout_full.drop(columns=[TARGET])
    labels = holdout_full[[ID_COLUMN, TARGET]]
    clean_out = clean.assign(split=np.where(is_hold, "holdout", "train"))
    return MockData(train=train, holdout=holdout, labels=labels, clean=clean_out)


def write_sqlite(frame: pd.DataFrame, path: Path, table: str = TABLE) -> None:
    """Write a frame as one SQLite table with the column types of SPEC §4."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    types = dict(COLUMNS)
    cols = list(frame.columns)
    with sqlite3.connect(path) as conn:
        ddl = ", ".join(f'"{c}" {types[c]}' for c in cols)
        conn.execute(f'CREATE TABLE "{table}" ({ddl})')
        rows = [
            tuple(None if (isinstance(v, float) and np.isnan(v)) or v is None else _py(v) for v in row)
            for row in frame.itertuples(index=False, name=None)
        ]
        conn.executemany(f'INSERT INTO "{table}" VALUES ({", ".join("?" * len(cols))})', rows)
    conn.close()


def _py(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    return value


def round_frame(seed: int = SEED) -> pd.DataFrame:
    """Every generated row with its label, as one round's table: the training rows, then the generator's held-out
    rows last, so `grader pack new --split tail --holdout 3000` holds out exactly those."""
    data = generate(seed)
    held = data.holdout.merge(data.labels, on=ID_COLUMN)[list(data.train.columns)]
    return pd.concat([data.train, held], ignore_index=True)


def write_round_file(path: Path, seed: int = SEED) -> Path:
    """Write the mock round's file (deliveries.db, table deliveries, all rows labelled)."""
    write_sqlite(round_frame(seed), Path(path))
    return Path(path)


if __name__ == "__main__":  # python -m grader.packs.mock.generate OUT.db
    import sys

    if len(sys.argv) != 2 or not sys.argv[1].endswith(".db"):
        sys.exit("usage: python -m grader.packs.mock.generate OUT/deliveries.db")
    print(write_round_file(Path(sys.argv[1])))
