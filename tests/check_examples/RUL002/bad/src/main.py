import pandas as pd

frame = pd.read_csv("/Users/me/Downloads/train.csv")
