import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

frame = pd.read_csv("data/train.csv")
X = StandardScaler().fit_transform(frame[["distance_km"]])
X_tr, X_te, y_tr, y_te = train_test_split(X, frame["late"])
