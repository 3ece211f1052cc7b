"""The AIAP 19 farm look-alike (packs/generators/farm.py): planted problems, determinism, SQLite types, signal."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits

from packs.generators import farm

ROOT = Path(__file__).resolve().parents[2]
ROWS = 3_000
LABELS = (farm.PLANT_TYPE, farm.PLANT_STAGE)


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return farm.generate(ROWS, seed=19)


def clean(frame: pd.DataFrame) -> pd.DataFrame:
    """What a careful candidate does: dedupe, drop unlabelled rows, undo sign flips, parse text, fold case."""
    out = frame.drop_duplicates()
    out = out[out[farm.TARGET].notna()].copy()
    for column in (farm.TARGET, farm.LIGHT, farm.EC):
        out[column] = out[column].abs()
    for column in farm.NUTRIENTS:
        out[column] = pd.to_numeric(out[column].str.removesuffix(" ppm"))
    for column in LABELS:
        out[column] = out[column].str.title()
    return out


def test_columns_and_size(raw):
    assert list(raw.columns) == [name for name, _ in farm.COLUMNS]
    assert len(raw) == ROWS
    assert set(raw[farm.ZONE]) == {f"Zone_{c}" for c in "ABCDEFG"}


def test_duplicate_share(raw):
    assert 0.10 <= raw.duplicated().mean() <= 0.16


def test_humidity_mostly_missing(raw):
    assert 0.60 <= raw[farm.HUMIDITY].isna().mean() <= 0.72


def test_target_and_other_sensors_have_some_nulls(raw):
    assert 0.01 <= raw[farm.TARGET].isna().mean() <= 0.08
    for column in (farm.LIGHT, farm.WATER, *farm.NUTRIENTS):
        assert 0 < raw[column].isna().mean() < 0.25, column


def test_nutrients_are_text_with_and_without_ppm_suffix(raw):
    for column in farm.NUTRIENTS:
        values = raw[column].dropna()
        assert values.map(type).eq(str).all(), column
        suffixed = values.str.endswith(" ppm")
        assert 0.03 < suffixed.mean() < 0.3, column
        assert values[~suffixed].str.fullmatch(r"\d+").all(), column
        assert values[suffixed].str.fullmatch(r"\d+ ppm").all(), column


def test_sign_flipped_negatives(raw):
    for column in (farm.TARGET, farm.LIGHT, farm.EC):
        share = (raw[column] < 0).mean()
        assert 0.005 < share < 0.06, (column, share)
    for column in (farm.CO2, farm.O2, farm.PH, farm.WATER, farm.HUMIDITY):
        assert not (raw[column] < 0).any(), column


def test_label_case_variants(raw):
    types, stages = set(raw[farm.PLANT_TYPE]), set(raw[farm.PLANT_STAGE])
    assert {"herbs", "HERBS", "Leafy greens", "Herbs", "Leafy Greens"} <= types
    assert {"maturity", "MATURITY", "Maturity", "seedling"} <= stages
    assert {v.lower() for v in types} == {v.lower() for v in farm.PLANT_TYPES}
    assert {v.lower() for v in stages} == {v.lower() for v in farm.PLANT_STAGES}
    assert set(raw[farm.PREVIOUS]) == set(farm.PLANT_TYPES)
    # The canonical spelling stays the most common one.
    assert raw[farm.PLANT_TYPE].isin(farm.PLANT_TYPES).mean() > 0.7


def test_same_seed_same_rows_other_seed_other_rows(raw):
    pd.testing.assert_frame_equal(raw, farm.generate(ROWS, seed=19))
    other = farm.generate(ROWS, seed=20)
    assert not raw.equals(other)
    assert not raw[farm.TARGET].equals(other[farm.TARGET])


def test_rows_must_be_positive():
    with pytest.raises(ValueError):
        farm.generate(0)


def _declared_types(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        info = conn.execute(f'PRAGMA table_info("{farm.TABLE}")').fetchall()
    conn.close()
    return {row[1]: row[2] for row in info}


def test_sqlite_types_nulls_and_bytes(raw, tmp_path):
    path = farm.write_sqlite(raw, tmp_path / "farm.db")
    assert _declared_types(path) == dict(farm.COLUMNS)
    assert dict(farm.COLUMNS)[farm.TARGET] == "REAL" and dict(farm.COLUMNS)[farm.NUTRIENTS[0]] == "TEXT"
    with sqlite3.connect(path) as conn:
        back = pd.read_sql_query(f'SELECT * FROM "{farm.TABLE}"', conn)
        null_humidity = conn.execute(f'SELECT COUNT(*) FROM "{farm.TABLE}" WHERE "{farm.HUMIDITY}" IS NULL').fetchone()
        stored = dict(conn.execute(
            f'SELECT typeof("{farm.NUTRIENTS[0]}"), COUNT(*) FROM "{farm.TABLE}" GROUP BY 1').fetchall())
    conn.close()
    assert null_humidity[0] == raw[farm.HUMIDITY].isna().sum()
    assert set(stored) == {"text", "null"}
    pd.testing.assert_frame_equal(back, raw, check_dtype=False)
    again = farm.write_sqlite(farm.generate(ROWS, seed=19), tmp_path / "again.db")
    assert again.read_bytes() == path.read_bytes()


def test_cli_writes_the_table_and_prints_a_profile(tmp_path):
    out = tmp_path / "cli.db"
    done = subprocess.run([sys.executable, "-m", "packs.generators.farm", str(out), "--rows", "500", "--seed", "3"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    lines = done.stdout.splitlines()
    assert lines[0] == str(out)
    assert "500 rows" in lines[1]
    assert "duplicates" in lines[2] and "humidity missing" in lines[2] and "spellings" in lines[2]
    with sqlite3.connect(out) as conn:
        assert conn.execute(f'SELECT COUNT(*) FROM "{farm.TABLE}"').fetchone()[0] == 500
    conn.close()


def _r2(frame: pd.DataFrame) -> float:
    features = pd.get_dummies(frame.drop(columns=[farm.TARGET]),
                              columns=[farm.ZONE, farm.PREVIOUS, *LABELS], dtype=float)
    x_train, x_test, y_train, y_test = train_test_split(features, frame[farm.TARGET], test_size=0.25,
                                                        random_state=0)
    # One OpenMP thread: on a busy small machine the default spins for tens of seconds on 2,000 rows.
    with threadpool_limits(limits=1):
        model = HistGradientBoostingRegressor(max_iter=150, random_state=0).fit(x_train, y_train)
        return r2_score(y_test, model.predict(x_test))


def test_cleaned_data_carries_signal_and_cleaning_pays(raw):
    cleaned = clean(raw)
    assert cleaned[LABELS[0]].nunique() == 4 and cleaned[LABELS[1]].nunique() == 3
    score = _r2(cleaned)
    assert 0.3 < score < 0.85, score
    # Skipping the cleaning (sign-flipped temperatures kept, text nutrients dropped) loses most of it.
    careless = raw[raw[farm.TARGET].notna()].drop(columns=list(farm.NUTRIENTS))
    assert _r2(careless) < score - 0.2
    # The mean baseline scores about 0.
    assert abs(r2_score(cleaned[farm.TARGET], np.full(len(cleaned), cleaned[farm.TARGET].mean()))) < 1e-9
