import pandas as pd
from sklearn.linear_model import LogisticRegression

frame = pd.read_csv("data/train.csv")
LogisticRegression().fit(frame[["distance_km"]], frame["late"])
