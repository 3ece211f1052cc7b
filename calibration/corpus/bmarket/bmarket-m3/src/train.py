# train.py
# Train and compare models on the processed data

import pandas as pd
import numpy as np
import json
import os
import pickle
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier
from xgboost import XGBClassifier
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score, classification_report
from imblearn.over_sampling import SMOTE

with open("config.json") as f:
    config = json.load(f)

df = pd.read_csv(os.path.join(config["output_dir"], "processed.csv"))
target = config["target"]

X = df.drop(columns=[target])
y = df[target]
print("Class balance:\n", y.value_counts())

# data is imbalanced (only ~11% yes) so use SMOTE to balance
if config["use_smote"]:
    sm = SMOTE(random_state=config["random_state"])
    X, y = sm.fit_resample(X, y)
    print("After SMOTE:\n", y.value_counts())

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=config["test_size"],
                                                    random_state=config["random_state"])


def get_model(name):
    if name == "logistic_regression":
        return LogisticRegression(max_iter=1000)
    elif name == "random_forest":
        return RandomForestClassifier(n_estimators=100, random_state=config["random_state"], n_jobs=1)
    elif name == "xgboost":
        return XGBClassifier(eval_metric="logloss", random_state=config["random_state"], n_jobs=1)


results = {}
best_model = None
best_acc = 0
for name in config["models"]:
    model = get_model(name)
    model.fit(X_train, y_train)
    pred = model.predict(X_test)
    proba = model.predict_proba(X_test)[:, 1]
    acc = accuracy_score(y_test, pred)
    results[name] = {
        "accuracy": acc,
        "precision": precision_score(y_test, pred),
        "recall": recall_score(y_test, pred),
        "f1": f1_score(y_test, pred),
        "roc_auc": roc_auc_score(y_test, proba),
    }
    print("\n=====", name, "=====")
    print("Accuracy:", round(acc, 4))
    print(classification_report(y_test, pred))
    if acc > best_acc:
        best_acc = acc
        best_model = name
        pickle.dump(model, open(os.path.join(config["output_dir"], "model.pkl"), "wb"))

print("\nSummary:")
print(pd.DataFrame(results).T.round(4))
print("\nBest model:", best_model, "with accuracy", round(best_acc, 4))
json.dump(results, open(os.path.join(config["output_dir"], "results.json"), "w"), indent=4)
