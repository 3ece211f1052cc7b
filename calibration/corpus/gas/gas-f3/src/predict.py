import os
import sqlite3
import pandas as pd
from sklearn.preprocessing import LabelEncoder

co_map = {"extremely low": 0, "low": 1, "medium": 2, "high": 3, "extremely high": 4}
light_map = {"very_dim": 0, "dim": 1, "moderate": 2, "bright": 3, "very_bright": 4}


def predict_holdout(model, path="data/holdout.db"):
    try:
        conn = sqlite3.connect(path)
        df = pd.read_sql_query("SELECT * FROM gas_monitoring", conn)
        conn.close()

        ids = df["Record ID"]
        df["HVAC Operation Mode"] = df["HVAC Operation Mode"].str.lower()
        df.loc[df["Temperature"] > 100, "Temperature"] = df["Temperature"] - 273.15
        df["CO_GasSensor"] = df["CO_GasSensor"].map(co_map)
        df["Ambient Light Level"] = df["Ambient Light Level"].map(light_map)
        le = LabelEncoder()
        df["Time of Day"] = le.fit_transform(df["Time of Day"])
        le2 = LabelEncoder()
        df["HVAC Operation Mode"] = le2.fit_transform(df["HVAC Operation Mode"])
        df = df.fillna(0)

        X = df.drop(columns=["Record ID"])
        preds = model.predict(X)

        out = pd.DataFrame({"Record ID": ids, "Activity Level": preds})
        os.makedirs("output", exist_ok=True)
        out.to_csv("output/predictions.csv", index=False)
        print("Saved predictions:", len(out))
    except Exception:
        pass
