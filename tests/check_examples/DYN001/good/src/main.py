import sqlite3

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

frame = pd.read_sql("SELECT * FROM deliveries", sqlite3.connect("data/deliveries.db"))
X, y = frame[["distance_km", "weather"]], frame["late"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=42)
prepare = make_column_transformer((StandardScaler(), ["distance_km"]), (OneHotEncoder(), ["weather"]))
model = make_pipeline(prepare, RandomForestClassifier(random_state=42)).fit(X_train, y_train)
print("macro F1:", round(f1_score(y_test, model.predict(X_test), average="macro"), 2))
