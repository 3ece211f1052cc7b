import sqlite3

import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

frame = pd.read_sql("SELECT * FROM deliveries", sqlite3.connect("data/deliveries.db"))
X = StandardScaler().fit_transform(pd.get_dummies(frame[["distance_km", "weather"]]))
X_train, X_test, y_train, y_test = train_test_split(X, frame["late"], test_size=0.2, stratify=frame["late"],
                                                    random_state=42)
model = RandomForestClassifier(random_state=42).fit(X_train, y_train)
print("macro F1:", round(f1_score(y_test, model.predict(X_test), average="macro"), 2))
