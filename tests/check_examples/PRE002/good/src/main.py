import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

frame = pd.read_csv("data/train.csv")
X_tr, X_te, y_tr, y_te = train_test_split(frame[["distance_km"]], frame["late"])
scaler = StandardScaler().fit(X_tr)
X_tr, X_te = scaler.transform(X_tr), scaler.transform(X_te)
