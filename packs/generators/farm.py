"""Deterministic generator of a look-alike of the AIAP 19 (2024) farm sensor data (table `farm_data`).

The real round's file is not available (see ../shared/data/real/README.md), so this module makes a
synthetic table of the same shape: a controlled-environment farm's sensor readings per plant zone, with
the temperature as the regression target and plant type x plant stage as the 12-class target.

True values are drawn first, the temperature from a known process over them (plant type and stage,
light with a stage-dependent slope, CO2, humidity, zone, water level, plus noise); the planted problems
of the real round are applied afterwards, so cleaning and feature engineering measurably improve a
regression:

- nutrient N/P/K stored as TEXT, some with a " ppm" suffix (`"150 ppm"`), most plain (`"150"`), some NULL;
- sign-flipped negatives in the light, EC and temperature columns (a few % each);
- about two thirds of `Humidity Sensor (%)` NULL, and NULLs in the target and a few other sensors;
- case variants of the plant type and stage labels (`herbs`, `HERBS`, `Leafy greens`, `maturity`);
- about 13% exact duplicate rows.

Usage: ``python -m packs.generators.farm OUT.db [--rows N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROWS = 57_489
SEED = 19
TABLE = "farm_data"
TARGET = "Temperature Sensor (°C)"
HUMIDITY = "Humidity Sensor (%)"
LIGHT = "Light Intensity Sensor (lux)"
CO2 = "CO2 Sensor (ppm)"
EC = "EC Sensor (dS/m)"
O2 = "O2 Sensor (ppm)"
NUTRIENTS = ("Nutrient N Sensor (ppm)", "Nutrient P Sensor (ppm)", "Nutrient K Sensor (ppm)")
PH = "pH Sensor"
WATER = "Water Level Sensor (mm)"
ZONE = "System Location Code"
PREVIOUS = "Previous Cycle Plant Type"
PLANT_TYPE = "Plant Type"
PLANT_STAGE = "Plant Stage"

COLUMNS: list[tuple[str, str]] = [
    (ZONE, "TEXT"),
    (PREVIOUS, "TEXT"),
    (PLANT_TYPE, "TEXT"),
    (PLANT_STAGE, "TEXT"),
    (TARGET, "REAL"),
    (HUMIDITY, "REAL"),
    (LIGHT, "REAL"),
    (CO2, "REAL"),
    (EC, "REAL"),
    (O2, "REAL"),
    (NUTRIENTS[0], "TEXT"),
    (NUTRIENTS[1], "TEXT"),
    (NUTRIENTS[2], "TEXT"),
    (PH, "REAL"),
    (WATER, "REAL"),
]

ZONES = [f"Zone_{c}" for c in "ABCDEFG"]
PLANT_TYPES = ["Herbs", "Leafy Greens", "Vine Crops", "Fruiting Vegetables"]
PLANT_STAGES = ["Seedling", "Vegetative", "Maturity"]

DUPLICATE_SHARE = 0.13
HUMIDITY_MISSING = 0.665
TARGET_MISSING = 0.035
NEGATIVE_SHARE = {TARGET: 0.02, LIGHT: 0.03, EC: 0.025}
MISSING_SHARE = {LIGHT: 0.06, CO2: 0.02, EC: 0.02, WATER: 0.12, NUTRIENTS[0]: 0.15, NUTRIENTS[1]: 0.09,
                 NUTRIENTS[2]: 0.06}
PPM_SUFFIX_SHARE = 0.12
# Share of plant type / stage labels written in lower case, upper case and sentence case.
CASE_SHARES = (0.10, 0.05, 0.05)

# The known process behind the temperature (°C).
BASE_TEMPERATURE = 22.0
TYPE_TEMPERATURE = {"Herbs": 0.4, "Leafy Greens": -0.9, "Vine Crops": 1.1, "Fruiting Vegetables": 1.6}
STAGE_TEMPERATURE = {"Seedling": 0.9, "Vegetative": 0.0, "Maturity": -0.6}
ZONE_TEMPERATURE = dict(zip(ZONES, [0.0, 0.7, -0.5, 1.0, -0.8, 0.3, -0.2], strict=True))
LIGHT_SLOPE = {"Seedling": -0.002, "Vegetative": 0.004, "Maturity": 0.01}  # °C per lux: the interaction
CO2_SLOPE = 0.003  # °C per ppm
HUMIDITY_SLOPE = -0.09  # °C per %
WATER_SLOPE = -0.03  # °C per mm: water buffers the temperature
NOISE = 1.25


def _lookup(table: dict[str, float], keys: np.ndarray) -> np.ndarray:
    return pd.Series(keys).map(table).to_numpy(dtype=float)


def _true_sensors(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """True labels and sensor values of n readings; the set-points depend on plant type and stage."""
    zone = rng.choice(ZONES, n)
    previous = rng.choice(PLANT_TYPES, n)
    kind = rng.choice(PLANT_TYPES, n, p=[0.3, 0.25, 0.2, 0.25])
    stage = rng.choice(PLANT_STAGES, n, p=[0.3, 0.37, 0.33])
    type_index = pd.Series(kind).map({k: i for i, k in enumerate(PLANT_TYPES)}).to_numpy()
    stage_index = pd.Series(stage).map({k: i for i, k in enumerate(PLANT_STAGES)}).to_numpy()

    light = np.array([350, 300, 450, 500])[type_index] + np.array([-110, 0, 80])[stage_index] + rng.normal(0, 90, n)
    co2 = np.array([1000, 980, 1060, 1080])[type_index] + np.array([-80, 0, 60])[stage_index] + rng.normal(0, 110, n)
    humidity = np.array([70, 73, 68, 67])[type_index] + np.array([4, 0, -2])[stage_index] + rng.normal(0, 6, n)
    ec = np.array([1.2, 1.4, 2.0, 2.2])[type_index] + np.array([-0.4, 0, 0.2])[stage_index] + rng.normal(0, 0.3, n)
    nitrogen = np.array([150, 170, 140, 145])[type_index] + np.array([-40, 20, 0])[stage_index] + rng.normal(0, 25, n)
    phosphorus = np.array([45, 50, 60, 65])[type_index] + np.array([-5, 0, 6])[stage_index] + rng.normal(0, 8, n)
    potassium = np.array([150, 170, 220, 240])[type_index] + np.array([-20, 0, 25])[stage_index] + rng.normal(0, 30, n)
    return pd.DataFrame({
        ZONE: zone,
        PREVIOUS: previous,
        PLANT_TYPE: kind,
        PLANT_STAGE: stage,
        HUMIDITY: np.round(np.clip(humidity, 40, 98), 2),
        LIGHT: np.round(np.clip(light, 40, None), 0),
        CO2: np.round(np.clip(co2, 500, None), 0),
        EC: np.round(np.clip(ec, 0.1, None), 2),
        O2: np.round(np.clip(rng.normal(6.5, 1.1, n), 3, 11), 0),
        NUTRIENTS[0]: np.round(np.clip(nitrogen, 20, None)).astype(int),
        NUTRIENTS[1]: np.round(np.clip(phosphorus, 10, None)).astype(int),
        NUTRIENTS[2]: np.round(np.clip(potassium, 40, None)).astype(int),
        PH: np.round(np.clip(rng.normal(6.1, 0.3, n) + np.array([0.1, 0, -0.1, -0.15])[type_index], 4.5, 8), 2),
        WATER: np.round(np.clip(rng.normal(25, 5, n), 5, None), 2),
    })


def _temperature(rng: np.random.Generator, true: pd.DataFrame) -> np.ndarray:
    """The target: the known process over the true values, plus noise."""
    stage = true[PLANT_STAGE].to_numpy()
    signal = (
        BASE_TEMPERATURE
        + _lookup(TYPE_TEMPERATURE, true[PLANT_TYPE].to_numpy())
        + _lookup(STAGE_TEMPERATURE, stage)
        + _lookup(ZONE_TEMPERATURE, true[ZONE].to_numpy())
        + _lookup(LIGHT_SLOPE, stage) * (true[LIGHT].to_numpy() - 400)
        + CO2_SLOPE * (true[CO2].to_numpy() - 1000)
        + HUMIDITY_SLOPE * (true[HUMIDITY].to_numpy() - 70)
        + WATER_SLOPE * (true[WATER].to_numpy() - 25)
    )
    return np.round(signal + rng.normal(0, NOISE, len(true)), 2)


def _case_variants(rng: np.random.Generator, labels: np.ndarray) -> np.ndarray:
    """Write a share of labels as `herbs`, `HERBS` or `Leafy greens`; the rest keep their canonical spelling."""
    lower, upper, sentence = CASE_SHARES
    style = rng.choice(4, len(labels), p=[1 - lower - upper - sentence, lower, upper, sentence])
    series = pd.Series(labels, dtype=object)
    out = series.copy()
    out[style == 1] = series[style == 1].str.lower()
    out[style == 2] = series[style == 2].str.upper()
    out[style == 3] = series[style == 3].str.capitalize()
    return out.to_numpy(dtype=object)


def _nutrient_text(rng: np.random.Generator, values: np.ndarray, missing: float) -> np.ndarray:
    """Integers as text: `"150"`, a share `"150 ppm"`, a share NULL."""
    text = values.astype(str).astype(object)
    suffix = rng.random(len(values)) < PPM_SUFFIX_SHARE
    text[suffix] = text[suffix] + " ppm"
    text[rng.random(len(values)) < missing] = None
    return text


def _plant_problems(rng: np.random.Generator, true: pd.DataFrame) -> pd.DataFrame:
    """The raw readings candidates see: the real round's problems applied to the true values."""
    n = len(true)
    raw = true.copy()
    raw[PLANT_TYPE] = _case_variants(rng, true[PLANT_TYPE].to_numpy())
    raw[PLANT_STAGE] = _case_variants(rng, true[PLANT_STAGE].to_numpy())
    for column, share in NEGATIVE_SHARE.items():
        values = raw[column].to_numpy(dtype=float).copy()
        flip = rng.random(n) < share
        values[flip] = -values[flip]
        raw[column] = values
    for column in NUTRIENTS:
        raw[column] = _nutrient_text(rng, true[column].to_numpy(), MISSING_SHARE[column])
    for column, share in {TARGET: TARGET_MISSING, HUMIDITY: HUMIDITY_MISSING, **MISSING_SHARE}.items():
        if column not in NUTRIENTS:
            raw.loc[rng.random(n) < share, column] = np.nan
    return raw[[name for name, _ in COLUMNS]]


def generate(rows: int = ROWS, seed: int = SEED) -> pd.DataFrame:
    """The raw `farm_data` table: `rows` readings, about 13% of them exact duplicates, in a shuffled order."""
    if rows < 1:
        raise ValueError(f"rows must be positive, got {rows}")
    rng = np.random.default_rng(seed)
    n_dup = int(round(rows * DUPLICATE_SHARE))
    n_unique = rows - n_dup
    true = _true_sensors(rng, n_unique)
    true[TARGET] = _temperature(rng, true)
    raw = _plant_problems(rng, true)
    copies = raw.iloc[rng.choice(n_unique, n_dup, replace=n_dup > n_unique)]
    frame = pd.concat([raw, copies], ignore_index=True)
    return frame.iloc[rng.permutation(rows)].reset_index(drop=True)


def _sql_value(value: object) -> object:
    """A cell as SQLite stores it: NaN and None become NULL, numpy scalars Python ones."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return _sql_value(value.item())
    return value


def write_sqlite(frame: pd.DataFrame, path: str | Path, table: str = TABLE) -> Path:
    """Write the frame as one table with the explicit column types of the real round (TEXT/REAL); NULLs stay NULL.

    An existing file at `path` is replaced.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    types = dict(COLUMNS)
    columns = list(frame.columns)
    ddl = ", ".join(f'"{c}" {types.get(c, "TEXT")}' for c in columns)
    rows = [tuple(_sql_value(v) for v in row) for row in frame.itertuples(index=False, name=None)]
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute(f'CREATE TABLE "{table}" ({ddl})')
            conn.executemany(f'INSERT INTO "{table}" VALUES ({", ".join("?" * len(columns))})', rows)
    finally:
        conn.close()
    return path


def profile(frame: pd.DataFrame) -> str:
    """One line: duplicate share, humidity-missing share and the spellings of the two label columns."""
    spellings = {c: frame[c].dropna().nunique() for c in (PLANT_TYPE, PLANT_STAGE)}
    labels = {c: frame[c].dropna().str.lower().nunique() for c in (PLANT_TYPE, PLANT_STAGE)}
    return (f"duplicates {frame.duplicated().mean():.1%}, humidity missing {frame[HUMIDITY].isna().mean():.1%}, "
            f"label spellings: {PLANT_TYPE} {spellings[PLANT_TYPE]} of {labels[PLANT_TYPE]}, "
            f"{PLANT_STAGE} {spellings[PLANT_STAGE]} of {labels[PLANT_STAGE]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m packs.generators.farm", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the SQLite file to write (replaced if it exists)")
    parser.add_argument("--rows", type=int, default=ROWS, help=f"rows to generate (default {ROWS:,})")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    args = parser.parse_args(argv)
    if args.rows < 1:
        parser.error("--rows must be positive")
    frame = generate(args.rows, args.seed)
    path = write_sqlite(frame, args.out)
    print(path)
    print(f"{len(frame):,} rows in table {TABLE}")
    print(profile(frame))
    return 0


if __name__ == "__main__":
    sys.exit(main())
