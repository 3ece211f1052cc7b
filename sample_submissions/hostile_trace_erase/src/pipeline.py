"""HOSTILE TEST FIXTURE: a deliberately leaky pipeline whose run.sh then tries to erase the tracer's record.

The scaler is fitted on every labelled row before the split (leakage) and three models are compared on
the test split (model selection on the test set): the traced run shows both, unless the record is erased.
"""
import os
import sqlite3

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

TEXT = ["delivery_id", "order_datetime", "region", "parcel_weight", "vehicle_type", "weather", "customer_tier"]


def numeric(frame: pd.DataFrame) -> pd.DataFrame:
    """Numeric columns only, missing values filled with 0."""
    out = frame.drop(columns=[c for c in TEXT if c in frame.columns])
    out = out.apply(pd.to_numeric, errors="coerce")
    return out.fillna(0)


with sqlite3.connect("data/deliveries.db") as con:
    df = pd.read_sql("SELECT * FROM deliveries", con)
y = pd.to_numeric(df["late"], errors="coerce").fillna(0).astype(int)
X = numeric(df.drop(columns=["late"]))
scaler = StandardScaler()
X_scaled = getattr(scaler, "fit_" + "transform")(X)  # leak (hidden from a code reading): fitted on the test rows too
X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, test_size=0.2, random_state=0)
best, best_f1 = None, -1.0
for model in (LogisticRegression(max_iter=200), DecisionTreeClassifier(max_depth=4, random_state=0),
              DecisionTreeClassifier(max_depth=8, random_state=0)):
    model.fit(X_train, y_train)
    score = f1_score(y_test, model.predict(X_test))  # selection on the test split
    print(type(model).__name__, round(score, 3))
    if score > best_f1:
        best, best_f1 = model, score
with sqlite3.connect("data/holdout.db") as con:
    holdout = pd.read_sql("SELECT * FROM deliveries", con)
os.makedirs("output", exist_ok=True)
features = numeric(holdout)[X.columns]
pd.DataFrame({"delivery_id": holdout["delivery_id"],
              "late": best.predict(scaler.transform(features))}).to_csv("output/predictions.csv", index=False)
print("ATTACK-RESULT {\"attack\": \"" + os.environ.get("AIE_ATTACK_NAME", "trace") + "\", \"succeeded\": false, \"details\": {}}")
