import pandas as pd
from sklearn.preprocessing import OneHotEncoder

frame = pd.read_csv("data/train.csv")
frame["is_long"] = frame["distance_km"] > 10
weather = OneHotEncoder(handle_unknown="ignore").fit_transform(frame[["weather"]])
