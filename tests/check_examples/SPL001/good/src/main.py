import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split

frame = pd.read_csv("data/train.csv")
X_train, X_test, y_train, y_test = train_test_split(frame[["distance_km"]], frame["late"], stratify=frame["late"])
search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=StratifiedKFold(5)).fit(X_train, y_train)
print(search.score(X_test, y_test))
