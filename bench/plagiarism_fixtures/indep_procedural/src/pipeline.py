# Late delivery prediction: one procedural script, top to bottom.
# Reads data/deliveries.db, cleans it, compares logistic regression with k-nearest neighbours,
# refits the better one and writes output/predictions.csv for data/holdout.db.
import os
import re
import sqlite3
import sys

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler

SEED = int(os.environ.get("SEED", "7"))
TEST_SHARE = float(os.environ.get("TEST_SHARE", "0.25"))
K = int(os.environ.get("KNN_K", "25"))

YES = {"1", "yes", "true", "y"}


def weight_to_kg(text):
    if text is None:
        return np.nan
    m = re.match(r"\s*([0-9.]+)\s*(kg|g)?\s*$", str(text).lower())
    if not m:
        return np.nan
    value = float(m.group(1))
    return value / 1000.0 if m.group(2) == "g" else value


def load(path):
    conn = sqlite3.connect(path)
    try:
        frame = pd.read_sql_query("select * from deliveries", conn)
    finally:
        conn.close()
    return frame


def clean(frame, medians=None):
    out = frame.copy()
    for col in ["region", "vehicle_type", "weather", "customer_tier"]:
        out[col] = out[col].astype("string").str.strip().str.lower()
    out["weather"] = out["weather"].fillna("unknown")
    out["express"] = out["express"].astype(str).str.strip().str.lower().isin(YES).astype(int)
    out["weight_kg"] = out["parcel_weight"].map(weight_to_kg)
    out["distance_km"] = out["distance_km"].abs()
    out.loc[out["distance_km"] > 300, "distance_km"] = np.nan
    out["driver_experience_yrs"] = out["driver_experience_yrs"].abs()
    out.loc[out["traffic_index"] > 10, "traffic_index"] = np.nan
    stamp = pd.to_datetime(out["order_datetime"], errors="coerce")
    out["hour"] = stamp.dt.hour
    out["dow"] = stamp.dt.dayofweek
    numeric = ["distance_km", "weight_kg", "num_items", "driver_experience_yrs",
               "driver_rating", "traffic_index", "hour", "dow"]
    if medians is None:
        medians = out[numeric].median()
    out[numeric] = out[numeric].fillna(medians)
    return out, medians, numeric


def design_matrix(frame, numeric, columns=None):
    dummies = pd.get_dummies(frame[["region", "vehicle_type", "weather", "customer_tier"]], dtype=float)
    X = pd.concat([frame[numeric + ["express"]].astype(float), dummies], axis=1)
    if columns is not None:
        X = X.reindex(columns=columns, fill_value=0.0)
    return X


print("reading training data")
raw = load("data/deliveries.db")
before = len(raw)
raw = raw.drop_duplicates(subset=[c for c in raw.columns if c != "delivery_id"])
print(f"dropped {before - len(raw)} duplicate rows")
raw = raw[raw["late"].notna()]

train_df, medians, numeric = clean(raw)
X = design_matrix(train_df, numeric)
y = train_df["late"].astype(int).to_numpy()
columns = list(X.columns)

X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=TEST_SHARE, random_state=SEED, stratify=y)
scaler = StandardScaler().fit(X_tr)
X_tr_s = scaler.transform(X_tr)
X_te_s = scaler.transform(X_te)

candidates = {
    "logreg": LogisticRegression(max_iter=2000, class_weight="balanced"),
    "knn": KNeighborsClassifier(n_neighbors=K, weights="distance"),
}
results = {}
for name, model in candidates.items():
    model.fit(X_tr_s, y_tr)
    proba = model.predict_proba(X_te_s)[:, 1]
    best_f1, best_cut = 0.0, 0.5
    for cut in np.arange(0.2, 0.8, 0.02):
        score = f1_score(y_te, (proba >= cut).astype(int))
        if score > best_f1:
            best_f1, best_cut = score, cut
    results[name] = (best_f1, best_cut, roc_auc_score(y_te, proba))
    print(f"{name:8s} f1={best_f1:.3f} at cut {best_cut:.2f}  auc={results[name][2]:.3f}")

winner = max(results, key=lambda n: results[n][0])
cut = results[winner][1]
print("chosen model:", winner)

final_scaler = StandardScaler().fit(X)
final = candidates[winner]
final.fit(final_scaler.transform(X), y)

if not os.path.exists("data/holdout.db"):
    print("no holdout database, stopping after evaluation")
    sys.exit(0)

hold = load("data/holdout.db")
hold_df, _, _ = clean(hold, medians)
Xh = design_matrix(hold_df, numeric, columns)
proba_h = final.predict_proba(final_scaler.transform(Xh))[:, 1]
os.makedirs("output", exist_ok=True)
pd.DataFrame({
    "delivery_id": hold["delivery_id"],
    "late": (proba_h >= cut).astype(int),
    "late_proba": proba_h.round(4),
}).to_csv("output/predictions.csv", index=False)
print("wrote", len(hold), "predictions")
