"""Choose the model and its threshold on a validation split; the test split only reports."""
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
    X_rest, X_test, y_rest, y_test = train_test_split(X, y, stratify=y, random_state=0)
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, stratify=y_rest, random_state=0)
    results = {}
    for name, model in {"lr": LogisticRegression(), "rf": RandomForestClassifier()}.items():
        proba = model.fit(X_train, y_train).predict_proba(X_val)[:, 1]
        threshold = find_best_threshold(y_val, proba)
        results[name] = {"model": model, "threshold": threshold, "val_f1": f1_score(y_val, proba >= threshold)}
    best = max(results, key=lambda k: results[k]["val_f1"])
    chosen = results[best]
    test_f1 = f1_score(y_test, chosen["model"].predict_proba(X_test)[:, 1] >= chosen["threshold"])
    print(best, test_f1)


if __name__ == "__main__":
    main()
