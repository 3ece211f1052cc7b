import os
import joblib
import pandas as pd
from sklearn.preprocessing import LabelEncoder
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.metrics import accuracy_score, f1_score, classification_report

co_map = {"extremely low": 0, "low": 1, "medium": 2, "high": 3, "extremely high": 4}
light_map = {"very_dim": 0, "dim": 1, "moderate": 2, "bright": 3, "very_bright": 4}


def prepare_features(df):
    try:
        df = df.copy()
        df["CO_GasSensor"] = df["CO_GasSensor"].map(co_map)
        df["Ambient Light Level"] = df["Ambient Light Level"].map(light_map)
        le = LabelEncoder()
        df["Time of Day"] = le.fit_transform(df["Time of Day"])
        le2 = LabelEncoder()
        df["HVAC Operation Mode"] = le2.fit_transform(df["HVAC Operation Mode"])
        X = df.drop(columns=["Activity Level", "Record ID"])
        y = df["Activity Level"]
        return X, y
    except Exception:
        return pd.DataFrame(), pd.Series(dtype=object)


def train_models(X, y):
    try:
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)

        models = {
            "RandomForest": RandomForestClassifier(n_estimators=150, max_depth=12, random_state=42),
            "KNN": KNeighborsClassifier(n_neighbors=7),
        }

        best_model = None
        best_acc = 0
        best_name = ""
        for name, model in models.items():
            model.fit(X_train, y_train)
            pred = model.predict(X_test)
            acc = accuracy_score(y_test, pred)
            f1 = f1_score(y_test, pred, average="macro")
            print(name, "accuracy:", round(acc, 4), "f1:", round(f1, 4))
            if acc > best_acc:
                best_acc = acc
                best_model = model
                best_name = name

        print("Best model:", best_name)
        print(classification_report(y_test, best_model.predict(X_test)))

        os.makedirs("output", exist_ok=True)
        joblib.dump(best_model, "output/model.pkl")
        return best_model
    except Exception:
        pass
