import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

frame = pd.read_csv("data/train.csv")
frame = frame.drop_duplicates()
frame["distance_km"] = frame["distance_km"].abs()
frame = frame[frame["distance_km"] < frame["distance_km"].quantile(0.99)]
prepare = ColumnTransformer([("num", SimpleImputer(strategy="median"), ["distance_km"])])
model = Pipeline([("prepare", prepare), ("model", LogisticRegression())]).fit(frame, frame["late"])
