import pandas as pd

frame = pd.read_csv("data/train.csv")
print(frame.describe())
