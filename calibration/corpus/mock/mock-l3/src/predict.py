import os
import pickle
import sys

import numpy as np
import pandas as pd

sys.path.append(os.path.dirname(__file__))
import config
from preprocess import load_data

with open(os.path.join(config.MODEL_DIR, "model.pkl"), "rb") as f:
    saved = pickle.load(f)

df = load_data(config.HOLDOUT_PATH)
print("holdout loaded:", df.shape)
ids = df["delivery_id"]

# same cleaning as training (can't drop rows here, need a prediction for every delivery)
df = df.fillna(0)
df["parcel_weight"] = df["parcel_weight"].astype(str).str.replace("kg", "").str.replace("g", "").str.strip()
df["parcel_weight"] = df["parcel_weight"].astype(float)
df["region"] = df["region"].str.lower()
df["vehicle_type"] = df["vehicle_type"].str.lower()
df["express"] = df["express"].astype(str).str.lower().isin(["yes", "true", "1"]).astype(int)
for col in ["distance_km", "traffic_index"]:
    cap = df[col].quantile(0.99)
    df[col] = np.where(df[col] > cap, cap, df[col])

df["order_datetime"] = pd.to_datetime(df["order_datetime"])
df["hour"] = df["order_datetime"].dt.hour
df["dayofweek"] = df["order_datetime"].dt.dayofweek
df["month"] = df["order_datetime"].dt.month
df["weight_per_item"] = df["parcel_weight"] / df["num_items"]
df = df.drop(columns=["order_datetime", "delivery_id"])

df = pd.get_dummies(df, columns=["region", "vehicle_type", "weather", "customer_tier"], dtype=int)
df = df.reindex(columns=saved["columns"], fill_value=0)
df[saved["num_cols"]] = saved["scaler"].transform(df[saved["num_cols"]])

proba = saved["model"].predict_proba(df)[:, 1]
pred = (proba >= saved["threshold"]).astype(int)

os.makedirs(config.OUTPUT_DIR, exist_ok=True)
out = pd.DataFrame({"delivery_id": ids, "late": pred, "late_proba": proba})
out.to_csv(os.path.join(config.OUTPUT_DIR, "predictions.csv"), index=False)
print("predictions saved:", out.shape, " predicted late rate:", pred.mean())
