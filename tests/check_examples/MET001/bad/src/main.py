import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

frame = pd.read_csv("data/train.csv")
X_train, X_test, y_train, y_test = train_test_split(frame[["distance_km"]], frame["late"])
pred = LogisticRegression().fit(X_train, y_train).predict(X_test)
print(accuracy_score(y_test, pred))
