import sqlite3
import sys
from pathlib import Path

import pandas as pd
from sklearn.ensemble import RandomForestClassifier

DB = Path("data/deliveries.db")
FEATURES = ["distance_km", "weather"]


def fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


if not DB.is_file():
    fail(f"{DB} not found")
frame = pd.read_sql("SELECT * FROM deliveries", sqlite3.connect(f"file:{DB}?mode=ro", uri=True))
if frame.empty:
    fail(f"the deliveries table in {DB} has no rows")
heldout = pd.read_csv("data/heldout.csv")
distance = pd.to_numeric(frame["distance_km"], errors="coerce")
if distance.isna().any():
    print(f"warning: {int(distance.isna().sum())} non-numeric distance_km values set to missing")
frame["distance_km"] = distance.fillna(distance.median())
X = pd.get_dummies(frame[FEATURES])
X_new = pd.get_dummies(heldout[FEATURES]).reindex(columns=X.columns, fill_value=0)  # unseen weather: all zeros
model = RandomForestClassifier(random_state=42).fit(X, frame["late"])
Path("output").mkdir(exist_ok=True)
heldout.assign(late=model.predict(X_new))[["delivery_id", "late"]].to_csv("output/predictions.csv", index=False)
print("wrote output/predictions.csv")
