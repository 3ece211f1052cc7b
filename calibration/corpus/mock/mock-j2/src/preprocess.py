import pandas as pd
import numpy as np
import sqlite3
import sys


def load_data(db_path, table="deliveries"):
    # load the table from sqlite database
    try:
        conn = sqlite3.connect(db_path)
        df = pd.read_sql_query("SELECT * FROM " + table, conn)
        conn.close()
    except Exception as e:
        print("Error loading data:", e)
        sys.exit(1)
    print("Loaded", df.shape, "from", db_path)
    return df


def clean_weight(x):
    # weights are stored like "2.9kg", "3180g", "1.2 kg"
    if pd.isnull(x):
        return np.nan
    x = str(x).lower().replace("kg", "").replace("g", "").strip()
    return float(x)


def clean_express(x):
    x = str(x).lower()
    if x in ["yes", "true", "1"]:
        return 1
    else:
        return 0


def remove_outliers(df, cols):
    # cap outliers using IQR method
    for col in cols:
        q1 = df[col].quantile(0.25)
        q3 = df[col].quantile(0.75)
        iqr = q3 - q1
        lower = q1 - 1.5 * iqr
        upper = q3 + 1.5 * iqr
        df[col] = np.where(df[col] > upper, upper, df[col])
        df[col] = np.where(df[col] < lower, lower, df[col])
    return df


def preprocess(df):
    """clean the data and create features"""
    df = df.copy()

    # fix text columns (there are upper/lower case versions of the same value)
    df["region"] = df["region"].str.lower()
    df["vehicle_type"] = df["vehicle_type"].str.lower()
    df["express"] = df["express"].apply(clean_express)
    df["parcel_weight"] = df["parcel_weight"].apply(clean_weight)

    # missing values
    df["weather"] = df["weather"].fillna("clear")
    for col in ["parcel_weight", "driver_experience_yrs", "driver_rating"]:
        df[col] = df[col].fillna(df[col].mean())

    # outliers
    num_cols = ["distance_km", "parcel_weight", "driver_experience_yrs", "traffic_index"]
    df = remove_outliers(df, num_cols)

    # date features
    df["order_datetime"] = pd.to_datetime(df["order_datetime"])
    df["hour"] = df["order_datetime"].dt.hour
    df["dayofweek"] = df["order_datetime"].dt.dayofweek
    df["month"] = df["order_datetime"].dt.month
    df["is_weekend"] = (df["dayofweek"] >= 5).astype(int)
    df["is_peak_hour"] = df["hour"].isin([7, 8, 9, 17, 18, 19]).astype(int)
    df = df.drop(columns=["order_datetime"])

    # one hot encoding
    df = pd.get_dummies(df, columns=["region", "vehicle_type", "weather", "customer_tier"], dtype=int)
    return df
