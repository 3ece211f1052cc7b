"""Data preparation with pandas method chains."""
import os
import sqlite3

import numpy as np
import pandas as pd

CAT_COLS = ["region", "vehicle_type", "weather", "customer_tier"]
EXPRESS_TRUE = ["1", "yes", "true"]


def query(db: str, sql: str = "SELECT * FROM deliveries") -> pd.DataFrame:
    con = sqlite3.connect(db)
    df = pd.read_sql(sql, con, parse_dates=["order_datetime"])
    con.close()
    return df


def _weight_kg(s: pd.Series) -> pd.Series:
    parts = s.str.lower().str.replace(" ", "", regex=False).str.extract(r"^(?P<num>[\d.]+)(?P<unit>kg|g)$")
    num = pd.to_numeric(parts["num"], errors="coerce")
    return num.where(parts["unit"] == "kg", num / 1000)


def tidy(df: pd.DataFrame) -> pd.DataFrame:
    return (
        df.assign(
            **{c: lambda d, c=c: d[c].str.strip().str.capitalize().fillna("Unknown") for c in CAT_COLS},
            express=lambda d: d["express"].astype(str).str.lower().isin(EXPRESS_TRUE).astype("int8"),
            weight_kg=lambda d: _weight_kg(d["parcel_weight"].astype("string")),
            distance_km=lambda d: d["distance_km"].abs().mask(lambda x: x > 250),
            driver_experience_yrs=lambda d: d["driver_experience_yrs"].abs(),
            traffic_index=lambda d: d["traffic_index"].mask(lambda x: x > 10),
            hour=lambda d: d["order_datetime"].dt.hour,
            weekday=lambda d: d["order_datetime"].dt.weekday,
            rush=lambda d: d["hour"].isin([7, 8, 17, 18]).astype("int8"),
        )
        .drop(columns=["parcel_weight", "order_datetime"])
    )


def add_interactions(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(
        km_per_item=lambda d: d["distance_km"] / d["num_items"].clip(lower=1),
        bad_weather_km=lambda d: d["distance_km"] * d["weather"].isin(["Rain", "Storm"]),
        traffic_x_km=lambda d: d["traffic_index"] * d["distance_km"],
    )


def impute(df: pd.DataFrame, reference: pd.DataFrame | None = None) -> pd.DataFrame:
    ref = df if reference is None else reference
    numeric = ref.select_dtypes(include=[np.number]).columns.drop(["late"], errors="ignore")
    return df.fillna(ref[numeric].median())


def encode(df: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    out = pd.get_dummies(df, columns=CAT_COLS, drop_first=True, dtype="int8")
    return out if columns is None else out.reindex(columns=columns, fill_value=0)


def training_table() -> pd.DataFrame:
    db = os.getenv("DELIVERIES_DB", "data/deliveries.db")
    return (
        query(db)
        .pipe(lambda d: d.loc[~d.drop(columns="delivery_id").duplicated()])
        .dropna(subset=["late"])
        .pipe(tidy)
        .pipe(add_interactions)
    )
