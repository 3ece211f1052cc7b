"""SQLite access (plain sqlite3) plus schema checks on what comes back."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

import pandas as pd

log = logging.getLogger(__name__)

# Inputs every table must provide (training and hold-out alike).
EXPECTED_FIELDS: tuple[str, ...] = (
    "delivery_id",
    "order_datetime",
    "region",
    "distance_km",
    "parcel_weight",
    "num_items",
    "vehicle_type",
    "driver_experience_yrs",
    "driver_rating",
    "weather",
    "traffic_index",
    "customer_tier",
    "express",
)


class BadInputData(ValueError):
    """A table is empty or its columns are not what we expect."""


def assert_fields(frame: pd.DataFrame, needed: Iterable[str], origin: str) -> None:
    absent = [name for name in needed if name not in frame.columns]
    if absent:
        raise BadInputData(f"{origin} lacks column(s): {', '.join(absent)}")


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return row is not None


def fetch_table(db_file: str | Path, name: str) -> pd.DataFrame:
    """Return the full contents of ``name`` from the SQLite file ``db_file``."""
    db_file = Path(db_file)
    if not db_file.is_file():
        raise FileNotFoundError(
            f"no database at {db_file}; put it there or edit inputs in config.yaml"
        )

    # read-only URI: a wrong path must never silently create a new, empty file
    with closing(sqlite3.connect(f"file:{db_file.as_posix()}?mode=ro", uri=True)) as conn:
        if not _has_table(conn, name):
            raise BadInputData(f"{db_file} has no table called '{name}'")
        frame = pd.read_sql_query(f'SELECT * FROM "{name}"', conn)

    if frame.empty:
        raise BadInputData(f"{db_file}:{name} is empty")
    log.info("loaded %s:%s -> %d rows, %d cols", db_file, name, frame.shape[0], frame.shape[1])
    return frame


def load_unlabelled(db_file: str | Path, name: str) -> pd.DataFrame:
    frame = fetch_table(db_file, name)
    assert_fields(frame, EXPECTED_FIELDS, f"{db_file}:{name}")
    return frame


def load_labelled(db_file: str | Path, name: str, label: str) -> pd.DataFrame:
    """Training table; rows whose label is not 0/1 are discarded."""
    frame = fetch_table(db_file, name)
    assert_fields(frame, (*EXPECTED_FIELDS, label), f"{db_file}:{name}")

    frame[label] = pd.to_numeric(frame[label], errors="coerce")
    ok = frame[label].isin([0, 1])
    if not ok.all():
        log.warning("discarding %d rows without a usable label", (~ok).sum())
        frame = frame.loc[ok].copy()
    if frame[label].nunique() < 2:
        raise BadInputData(f"only one class present in '{label}', nothing to learn")
    frame[label] = frame[label].astype(int)
    return frame
