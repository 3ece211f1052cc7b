# Predict late deliveries for the holdout data
# Rosa Delgado

import sqlite3
import os
import pickle
import pandas as pd
import numpy as np

HOLDOUT_PATH = os.environ.get("HOLDOUT_PATH", "data/holdout.db")
OUTPUT_DIR = "output"


def load_holdout():
    conn = sqlite3.connect(HOLDOUT_PATH)
    df = pd.read_sql("SELECT * FROM deliveries", conn)
    conn.close()
    print("Holdout loaded:", df.shape)
    return df


def clean_data(df):
    # same cleaning as training
    df["region"] = df["region"].str.title()
    df["vehicle_type"] = df["vehicle_type"].str.lower()
    df["weather"] = df["weather"].fillna("clear")

    df["express"] = df["express"].str.lower().replace({"yes": 1, "true": 1, "1": 1, "no": 0, "false": 0, "0": 0}).astype(int)

    # parcel weight to kg
    w = df["parcel_weight"].str.replace(" ", "")
    grams = w.str.endswith("g") & ~w.str.endswith("kg")
    df["parcel_weight"] = w.str.replace("kg", "").str.replace("g", "").astype(float)
    df.loc[grams == True, "parcel_weight"] = df.loc[grams == True, "parcel_weight"] / 1000
    df["parcel_weight"] = df["parcel_weight"].fillna(df["parcel_weight"].median())

    # distance
    df.loc[df["distance_km"] > 500, "distance_km"] = df["distance_km"].median()
    df["distance_km"] = df["distance_km"].abs()

    df.loc[df["driver_experience_yrs"] < 0, "driver_experience_yrs"] = np.nan
    df["driver_experience_yrs"] = df["driver_experience_yrs"].fillna(df["driver_experience_yrs"].median())
    df["driver_rating"] = df["driver_rating"].fillna(df["driver_rating"].mean())

    df.loc[df["traffic_index"] > 10, "traffic_index"] = df.loc[df["traffic_index"] > 10, "traffic_index"] / 10

    df["order_datetime"] = pd.to_datetime(df["order_datetime"])
    df["hour"] = df["order_datetime"].dt.hour
    df["rush_hour"] = df["hour"].isin([7, 8, 9, 17, 18, 19]).astype(int)
    df["weekday"] = df["order_datetime"].dt.dayofweek

    df = df.drop(columns=["order_datetime", "delivery_id"])
    df = pd.get_dummies(df, columns=["region", "vehicle_type", "weather", "customer_tier"])
    return df


def main():
    model = pickle.load(open(OUTPUT_DIR + "/model.pkl", "rb"))
    columns = pickle.load(open(OUTPUT_DIR + "/columns.pkl", "rb"))

    holdout = load_holdout()
    ids = holdout["delivery_id"]
    X = clean_data(holdout)
    # make sure columns are the same as in training
    X = X.reindex(columns=columns, fill_value=0)

    pred = model.predict(X)
    proba = model.predict_proba(X)[:, 1]

    result = pd.DataFrame({"delivery_id": ids, "late": pred, "late_proba": proba})
    result.to_csv(OUTPUT_DIR + "/predictions.csv", index=False)
    print("Predictions saved:", result.shape)
    print(result["late"].value_counts())


if __name__ == "__main__":
    main()
