import sqlite3
import pandas as pd
import numpy as np
from sklearn.preprocessing import StandardScaler


def load_data(path):
    try:
        conn = sqlite3.connect(path)
        df = pd.read_sql("SELECT * FROM deliveries", conn)
        conn.close()
        return df
    except:
        print("Error loading data from", path)
        return pd.DataFrame()


def clean_data(df):
    # remove missing values
    df = df.dropna()

    # parcel weight has units in the text e.g. "2.3 kg", "4360g"
    df["parcel_weight"] = df["parcel_weight"].str.replace("kg", "").str.replace("g", "").str.strip()
    df["parcel_weight"] = df["parcel_weight"].astype(float)

    # fix inconsistent text
    df["region"] = df["region"].str.lower()
    df["vehicle_type"] = df["vehicle_type"].str.lower()

    # express has many formats (yes/Yes/TRUE/1 ...)
    df["express"] = df["express"].astype(str).str.lower().isin(["yes", "true", "1"]).astype(int)

    # negative distance is not possible
    df = df[df["distance_km"] >= 0]

    # outliers - cap at 99th percentile
    for col in ["distance_km", "traffic_index"]:
        cap = df[col].quantile(0.99)
        df[col] = np.where(df[col] > cap, cap, df[col])

    return df


def add_features(df):
    df["order_datetime"] = pd.to_datetime(df["order_datetime"])
    df["hour"] = df["order_datetime"].dt.hour
    df["dayofweek"] = df["order_datetime"].dt.dayofweek
    df["month"] = df["order_datetime"].dt.month
    df["weight_per_item"] = df["parcel_weight"] / df["num_items"]
    df = df.drop(columns=["order_datetime", "delivery_id"])
    return df


def encode_and_scale(df):
    df = pd.get_dummies(df, columns=["region", "vehicle_type", "weather", "customer_tier"], dtype=int)
    num_cols = ["distance_km", "parcel_weight", "num_items", "driver_experience_yrs", "driver_rating",
                "traffic_index", "hour", "dayofweek", "month", "weight_per_item"]
    scaler = StandardScaler()
    df[num_cols] = scaler.fit_transform(df[num_cols])
    return df, scaler, num_cols
