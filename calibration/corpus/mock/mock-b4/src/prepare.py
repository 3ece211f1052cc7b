# prepare.py - read data from sqlite, clean it and save to csv for train.py
import sqlite3
import re
import numpy as np
import pandas as pd


def read_db(path):
    con = sqlite3.connect(path)
    df = pd.read_sql("select * from deliveries", con)
    con.close()
    return df


def parse_weight(x):
    # weight is text like "2.9kg" or "3180 g"
    if pd.isnull(x):
        return np.nan
    m = re.match(r"([\d\.]+)\s*(kg|g)", str(x).lower())
    if not m:
        return np.nan
    val = float(m.group(1))
    if m.group(2) == "g":
        val = val / 1000
    return val


def clean(df):
    df = df.drop_duplicates()

    # fix text columns
    df["region"] = df["region"].str.strip().str.lower()
    df["vehicle_type"] = df["vehicle_type"].str.strip().str.lower()
    df["weather"] = df["weather"].fillna("unknown")
    df["express"] = df["express"].str.lower().isin(["yes", "true", "1"]).astype(int)

    df["weight_kg"] = df["parcel_weight"].apply(parse_weight)

    # bad numbers
    df["distance_km"] = df["distance_km"].abs()
    df.loc[df["distance_km"] > 100, "distance_km"] = np.nan
    df["driver_experience_yrs"] = df["driver_experience_yrs"].abs()
    df.loc[df["traffic_index"] > 10, "traffic_index"] = df["traffic_index"] / 10

    for col in ["distance_km", "weight_kg", "driver_experience_yrs", "driver_rating"]:
        df[col] = df[col].fillna(df[col].mean())

    # time features
    dt = pd.to_datetime(df["order_datetime"])
    df["hour"] = dt.dt.hour
    df["rush_hour"] = df["hour"].isin([7, 8, 9, 17, 18, 19]).astype(int)
    df["weekday"] = dt.dt.weekday
    df["weekend"] = (df["weekday"] >= 5).astype(int)

    df = df.drop(columns=["parcel_weight", "order_datetime"])
    df = pd.get_dummies(df, columns=["region", "vehicle_type", "weather", "customer_tier"], dtype=int)
    return df


try:
    train = read_db("data/deliveries.db")
    print("train data", train.shape)
    train = clean(train)
    train.to_csv("data/train_clean.csv", index=False)
    print("saved data/train_clean.csv", train.shape)

    holdout = read_db("data/holdout.db")
    print("holdout data", holdout.shape)
    holdout = clean(holdout)
    holdout.to_csv("data/holdout_clean.csv", index=False)
    print("saved data/holdout_clean.csv", holdout.shape)
except Exception as e:
    print(e)
