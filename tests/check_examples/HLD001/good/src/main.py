import sqlite3
from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

FEATURES = ["distance_km", "weather"]
train = pd.read_sql("SELECT * FROM deliveries", sqlite3.connect("data/deliveries.db"))
heldout = pd.read_csv("data/heldout.csv")
prepare = make_column_transformer((StandardScaler(), ["distance_km"]), (OneHotEncoder(handle_unknown="ignore"),
                                                                        ["weather"]))
model = make_pipeline(prepare, RandomForestClassifier(class_weight="balanced", random_state=42))
model.fit(train[FEATURES], train["delay"])
Path("output").mkdir(exist_ok=True)
heldout.assign(delay=model.predict(heldout[FEATURES]))[["delivery_id", "delay"]].to_csv(
    "output/predictions.csv", index=False)
