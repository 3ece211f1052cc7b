import pandas as pd

df = pd.read_csv("data/train.csv")
df = df.drop_duplicates()
df["distance_km"] = df["distance_km"].abs()
df["weather"] = df["weather"].fillna("clear")
df = df[df["distance_km"] < 100]
df.to_csv("output/train_clean.csv")

df = pd.read_csv("data/holdout.csv")
df = df.drop_duplicates()
df["distance_km"] = df["distance_km"].abs()
df["weather"] = df["weather"].fillna("clear")
df = df[df["distance_km"] < 100]
df.to_csv("output/holdout_clean.csv")
