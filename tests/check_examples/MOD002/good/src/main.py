import joblib
import pandas as pd
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import precision_recall_curve
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

frame = pd.read_csv("data/train.csv")
X_train, X_test, y_train, y_test = train_test_split(frame[["distance_km"]], frame["late"], stratify=frame["late"])
baseline = DummyClassifier(strategy="most_frequent").fit(X_train, y_train)
model = Pipeline([("scale", StandardScaler()), ("forest", RandomForestClassifier())]).fit(X_train, y_train)
print("train", model.score(X_train, y_train), "test", model.score(X_test, y_test))
precision, recall, thresholds = precision_recall_curve(y_test, model.predict_proba(X_test)[:, 1])
joblib.dump(model, "output/model.joblib")
