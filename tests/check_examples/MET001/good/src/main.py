import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import GridSearchCV, train_test_split

frame = pd.read_csv("data/train.csv")
X_train, X_test, y_train, y_test = train_test_split(frame[["distance_km"]], frame["late"])
search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, scoring="f1").fit(X_train, y_train)
print(f1_score(y_test, search.predict(X_test)), roc_auc_score(y_test, search.predict_proba(X_test)[:, 1]))
