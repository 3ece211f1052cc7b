# Training script for late delivery model
# Rosa Delgado

import sqlite3
import os
import pickle
import pandas as pd
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, classification_report, confusion_matrix, roc_auc_score

DB_PATH = os.environ.get("DB_PATH", "data/deliveries.db")
OUTPUT_DIR = "output"


def load_data():
    conn = sqlite3.connect(DB_PATH)
    df = pd.read_sql("SELECT * FROM deliveries", conn)
    conn.close()
    print("Data loaded:", df.shape)
    return df


def clean_data(df):
    # remove duplicate rows
    df = df.drop_duplicates()

    # fix the text columns
    df["region"] = df["region"].str.strip().str.title()
    df["vehicle_type"] = df["vehicle_type"].str.strip().str.lower()
    df["weather"] = df["weather"].fillna("clear")

    # express has many different values
    df["express"] = df["express"].str.lower().replace({"yes": 1, "true": 1, "1": 1, "no": 0, "false": 0, "0": 0}).astype(int)

    # parcel weight - convert grams to kg
    w = df["parcel_weight"].str.replace(" ", "")
    grams = w.str.endswith("g") & ~w.str.endswith("kg")
    df["parcel_weight"] = w.str.replace("kg", "").str.replace("g", "").astype(float)
    df.loc[grams == True, "parcel_weight"] = df.loc[grams == True, "parcel_weight"] / 1000
    df["parcel_weight"] = df["parcel_weight"].fillna(df["parcel_weight"].median())

    # distance outliers
    df = df[df["distance_km"] < 500]
    df["distance_km"] = df["distance_km"].abs()

    # driver experience negative
    df.loc[df["driver_experience_yrs"] < 0, "driver_experience_yrs"] = np.nan
    df["driver_experience_yrs"] = df["driver_experience_yrs"].fillna(df["driver_experience_yrs"].median())
    df["driver_rating"] = df["driver_rating"].fillna(df["driver_rating"].mean())

    # traffic index should be max 10
    df.loc[df["traffic_index"] > 10, "traffic_index"] = df.loc[df["traffic_index"] > 10, "traffic_index"] / 10

    # date features
    df["order_datetime"] = pd.to_datetime(df["order_datetime"])
    df["hour"] = df["order_datetime"].dt.hour
    df["rush_hour"] = df["hour"].isin([7, 8, 9, 17, 18, 19]).astype(int)
    df["weekday"] = df["order_datetime"].dt.dayofweek

    df = df.drop(columns=["order_datetime", "delivery_id"])
    df = pd.get_dummies(df, columns=["region", "vehicle_type", "weather", "customer_tier"])
    return df


def plot_feature_importance(model, columns):
    imp = pd.Series(model.feature_importances_, index=columns).sort_values()
    plt.figure(figsize=(8, 8))
    imp.plot(kind="barh")
    plt.title("Random Forest feature importance")
    plt.tight_layout()
    plt.savefig(OUTPUT_DIR + "/feature_importance.png")
    plt.close()


def plot_confusion(cm, name):
    plt.figure(figsize=(5, 4))
    plt.imshow(cm, cmap="Blues")
    for i in range(2):
        for j in range(2):
            plt.text(j, i, cm[i, j], ha="center")
    plt.title("Confusion matrix - " + name)
    plt.xlabel("predicted")
    plt.ylabel("actual")
    plt.savefig(OUTPUT_DIR + "/confusion_" + name + ".png")
    plt.close()


def main():
    os.makedirs(OUTPUT_DIR, exist_ok=True)
    df = load_data()
    df = clean_data(df)
    print("After cleaning:", df.shape)

    X = df.drop(columns=["late"])
    y = df["late"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=1)

    # model 1: random forest
    rf = RandomForestClassifier(n_estimators=300, max_depth=12, min_samples_leaf=3, class_weight="balanced", random_state=1)
    rf.fit(X_train, y_train)
    rf_pred = rf.predict(X_test)
    print("\nRandom Forest")
    print("accuracy:", accuracy_score(y_test, rf_pred))
    print("f1:", f1_score(y_test, rf_pred))
    print("roc auc:", roc_auc_score(y_test, rf.predict_proba(X_test)[:, 1]))
    print(classification_report(y_test, rf_pred))
    plot_confusion(confusion_matrix(y_test, rf_pred), "rf")
    plot_feature_importance(rf, X_train.columns)

    # model 2: logistic regression for comparison
    lr = LogisticRegression(max_iter=2000)
    lr.fit(X_train, y_train)
    lr_pred = lr.predict(X_test)
    print("\nLogistic Regression")
    print("accuracy:", accuracy_score(y_test, lr_pred))
    print("f1:", f1_score(y_test, lr_pred))
    print("roc auc:", roc_auc_score(y_test, lr.predict_proba(X_test)[:, 1]))
    print(classification_report(y_test, lr_pred))
    plot_confusion(confusion_matrix(y_test, lr_pred), "lr")

    # choose the better model by f1
    if f1_score(y_test, rf_pred) >= f1_score(y_test, lr_pred):
        best = rf
        print("\nBest model: Random Forest")
    else:
        best = lr
        print("\nBest model: Logistic Regression")

    pickle.dump(best, open(OUTPUT_DIR + "/model.pkl", "wb"))
    pickle.dump(list(X_train.columns), open(OUTPUT_DIR + "/columns.pkl", "wb"))
    print("model saved")


if __name__ == "__main__":
    main()
