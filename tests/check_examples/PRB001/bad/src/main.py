import sqlite3
from pathlib import Path

import pandas as pd
from sklearn.ensemble import RandomForestClassifier

FEATURES = ["distance_km", "weather"]
conn = sqlite3.connect("file:data/deliveries.db?mode=ro", uri=True)
frame = pd.read_sql("SELECT * FROM deliveries", conn)
heldout = pd.read_csv("data/heldout.csv")
frame["distance_km"] = frame["distance_km"].astype(float)
X = pd.get_dummies(frame[FEATURES])
X_new = pd.get_dummies(heldout[FEATURES]).reindex(columns=X.columns, fill_value=0)
model = RandomForestClassifier(random_state=42).fit(X, frame["late"])
Path("output").mkdir(exist_ok=True)
heldout.assign(late=model.predict(X_new))[["delivery_id", "late"]].to_csv("output/predictions.csv", index=False)
print("wrote output/predictions.csv")
