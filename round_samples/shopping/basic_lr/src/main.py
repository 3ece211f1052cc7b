# Online shopping purchase prediction pipeline
import os
import sqlite3

import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import accuracy_score, f1_score, classification_report, confusion_matrix

import config

JUNK = ["", "nan", "None", "Other"]


def load(path):
    """load table from sqlite"""
    if not os.path.exists(path):
        print("Cannot find database", path)
        exit(1)
    con = sqlite3.connect(path)
    df = pd.read_sql("SELECT * FROM " + config.TABLE, con)
    con.close()
    return df


def clean(df):
    df = df.drop_duplicates()
    df = df.dropna()
    # customer type has some junk values
    df["CustomerType"] = df["CustomerType"].replace(JUNK, "Unknown")
    df["CustomerType"] = df["CustomerType"].replace("returning_Visitor", "Returning_Visitor")
    return df


def make_xy(df):
    X = df.drop(columns=[config.TARGET, config.ID_COL])
    X = pd.get_dummies(X, columns=["CustomerType"])
    y = df[config.TARGET]
    return X, y


def main():
    df = load(config.DB_PATH)
    print("data shape", df.shape)
    df = clean(df)
    print("after cleaning", df.shape)

    X, y = make_xy(df)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=config.TEST_SIZE, random_state=config.SEED, stratify=y)

    scaler = StandardScaler()
    X_train_s = scaler.fit_transform(X_train)
    X_test_s = scaler.transform(X_test)

    # model 1 logistic regression
    lr = LogisticRegression(class_weight="balanced", max_iter=1000)
    lr.fit(X_train_s, y_train)
    lr_pred = lr.predict(X_test_s)
    lr_acc = accuracy_score(y_test, lr_pred)
    print("Logistic Regression accuracy:", lr_acc, "F1:", f1_score(y_test, lr_pred))

    # model 2 decision tree
    dt = DecisionTreeClassifier(class_weight="balanced", max_depth=config.TREE_DEPTH, random_state=config.SEED)
    dt.fit(X_train_s, y_train)
    dt_pred = dt.predict(X_test_s)
    dt_acc = accuracy_score(y_test, dt_pred)
    print("Decision Tree accuracy:", dt_acc, "F1:", f1_score(y_test, dt_pred))

    # pick the model with the best accuracy
    if lr_acc > dt_acc:
        best, best_pred, name = lr, lr_pred, "Logistic Regression"
    else:
        best, best_pred, name = dt, dt_pred, "Decision Tree"
    print("\nBest model:", name)
    print(classification_report(y_test, best_pred))
    print(confusion_matrix(y_test, best_pred))
    print("Accuracy:", round(accuracy_score(y_test, best_pred), 4))
    print("F1 (PurchaseCompleted=1):", round(f1_score(y_test, best_pred), 4))

    # predictions for holdout
    if os.path.exists(config.HOLDOUT_PATH):
        hold = load(config.HOLDOUT_PATH)
        hold = hold.fillna(0)
        hold["CustomerType"] = hold["CustomerType"].replace(JUNK, "Unknown")
        hold["CustomerType"] = hold["CustomerType"].replace("returning_Visitor", "Returning_Visitor")
        X_hold = pd.get_dummies(hold.drop(columns=[config.ID_COL]), columns=["CustomerType"])
        X_hold = X_hold.reindex(columns=X.columns, fill_value=0)
        # X_hold = X_hold[X.columns]
        preds = best.predict(scaler.transform(X_hold))
        os.makedirs(config.OUTPUT_DIR, exist_ok=True)
        out = pd.DataFrame({config.ID_COL: hold[config.ID_COL], config.TARGET: preds})
        out.to_csv(config.OUTPUT_DIR + "/predictions.csv", index=False)
        print("saved predictions", len(out))


if __name__ == "__main__":
    main()
