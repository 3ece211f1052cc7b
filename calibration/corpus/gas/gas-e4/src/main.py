# Gas monitoring - predict Activity Level
# Chloe Martin

import sqlite3
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
import os


def load_data(path):
    # read the table from the database
    conn = sqlite3.connect(path)
    df = pd.read_sql_query("SELECT * FROM gas_monitoring", conn)
    conn.close()
    return df


def clean_data(df):
    # remove rows with missing values
    df = df.dropna()
    # remove the id column, not useful for prediction
    df = df.drop(columns=["Record ID"])
    return df


def make_features(df):
    # change the text columns into numbers
    df = pd.get_dummies(df, columns=["Time of Day", "CO_GasSensor", "HVAC Operation Mode", "Ambient Light Level"])
    return df


def train_model(X_train, y_train):
    model = RandomForestClassifier()
    model.fit(X_train, y_train)
    return model


def main():
    df = load_data("data/gas_monitoring.db")
    print("data shape:", df.shape)

    df = clean_data(df)
    print("after cleaning:", df.shape)

    df = make_features(df)

    X = df.drop(columns=["Activity Level"])
    y = df["Activity Level"]

    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)

    model = train_model(X_train, y_train)

    pred = model.predict(X_test)
    print("Accuracy:", accuracy_score(y_test, pred))

    # predict the holdout data
    holdout = load_data("data/holdout.db")
    ids = holdout["Record ID"]
    holdout = holdout.drop(columns=["Record ID"])
    holdout = make_features(holdout)
    # make sure holdout has the same columns as training
    holdout = holdout.reindex(columns=X.columns, fill_value=0)
    holdout = holdout.fillna(0)

    holdout_pred = model.predict(holdout)

    os.makedirs("output", exist_ok=True)
    result = pd.DataFrame({"Record ID": ids, "Activity Level": holdout_pred})
    result.to_csv("output/predictions.csv", index=False)
    print("predictions saved")


main()
