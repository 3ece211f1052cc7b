"""Cleaning done in SQL: the database returns model-ready rows."""
import sqlite3
from dataclasses import dataclass

import numpy as np

CLEAN_SQL = """
WITH base AS (
    SELECT DISTINCT
        delivery_id,
        CAST(strftime('%H', order_datetime) AS INTEGER)            AS hour_of_day,
        CAST(strftime('%w', order_datetime) AS INTEGER)            AS day_of_week,
        UPPER(TRIM(region))                                        AS region,
        CASE WHEN distance_km < 0 THEN -distance_km ELSE distance_km END AS distance,
        CASE
            WHEN LOWER(REPLACE(parcel_weight, ' ', '')) LIKE '%kg'
                THEN CAST(REPLACE(LOWER(REPLACE(parcel_weight, ' ', '')), 'kg', '') AS REAL)
            WHEN LOWER(REPLACE(parcel_weight, ' ', '')) LIKE '%g'
                THEN CAST(REPLACE(LOWER(REPLACE(parcel_weight, ' ', '')), 'g', '') AS REAL) / 1000.0
        END                                                        AS weight,
        num_items,
        LOWER(TRIM(vehicle_type))                                  AS vehicle,
        ABS(driver_experience_yrs)                                 AS experience,
        driver_rating                                              AS rating,
        COALESCE(LOWER(weather), 'unknown')                        AS weather,
        CASE WHEN traffic_index > 10 THEN NULL ELSE traffic_index END AS traffic,
        LOWER(customer_tier)                                       AS tier,
        CASE WHEN LOWER(express) IN ('1', 'yes', 'true') THEN 1 ELSE 0 END AS express
        {label}
    FROM deliveries
)
SELECT * FROM base WHERE distance IS NULL OR distance < 400
"""

NUMERIC = ["hour_of_day", "day_of_week", "distance", "weight", "num_items", "experience", "rating", "traffic",
           "express"]
CATEGORICAL = {"region": ["CENTRAL", "EAST", "NORTH", "SOUTH", "WEST"],
               "vehicle": ["bicycle", "motorcycle", "truck", "van"],
               "weather": ["clear", "haze", "rain", "storm", "unknown"],
               "tier": ["business", "premium", "standard"]}


@dataclass
class Batch:
    ids: list
    X: np.ndarray
    y: np.ndarray | None


def fetch(path: str, labelled: bool) -> list[sqlite3.Row]:
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    rows = con.execute(CLEAN_SQL.format(label=", late" if labelled else "")).fetchall()
    con.close()
    return rows


def to_batch(rows, labelled: bool, fill: np.ndarray | None = None) -> tuple[Batch, np.ndarray]:
    numeric = np.array([[np.nan if r[c] is None else float(r[c]) for c in NUMERIC] for r in rows])
    if fill is None:
        fill = np.nanmedian(numeric, axis=0)
    holes = np.isnan(numeric)
    numeric[holes] = np.take(fill, np.nonzero(holes)[1])
    onehots = [np.array([[1.0 if r[col] == level else 0.0 for level in levels] for r in rows])
               for col, levels in CATEGORICAL.items()]
    X = np.hstack([numeric, *onehots])
    y = np.array([int(r["late"]) for r in rows]) if labelled else None
    return Batch([r["delivery_id"] for r in rows], X, y), fill
