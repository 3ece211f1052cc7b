import pandas as pd

frame = pd.read_csv("data/train.csv")
unknown = frame["distance_km"] == 999
frame.loc[unknown, "distance_km"] = frame.loc[~unknown, "distance_km"].median()
frame["weather"] = frame["weather"].fillna("unknown")
print(frame.describe())
