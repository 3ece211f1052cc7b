import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV

frame = pd.read_csv("data/train.csv")
X, y = frame[["distance_km"]], frame["late"]
logistic = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=5).fit(X, y)
forest = GridSearchCV(RandomForestClassifier(), {"max_depth": [3, 6]}, cv=5).fit(X, y)
