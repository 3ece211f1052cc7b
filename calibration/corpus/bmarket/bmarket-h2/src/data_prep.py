# data_prep.py
# functions for loading and cleaning the bank marketing data

import sqlite3
import pandas as pd
from sklearn.preprocessing import StandardScaler


def load_data(db_path, table_name):
    # read the table from the sqlite database
    try:
        conn = sqlite3.connect(db_path)
        df = pd.read_sql_query("SELECT * FROM " + table_name, conn)
        conn.close()
    except Exception as e:
        print("Error loading data:", e)
        return None
    print("Loaded data with shape", df.shape)
    return df


def clean_data(df):
    # make a copy so we dont change the original dataframe
    df = df.copy()

    # Age is stored like "57 years" so remove the text and change to int
    df["Age"] = df["Age"].str.replace(" years", "").astype(int)
    # there are a lot of 150 year old people which is not possible, replace with median age
    median_age = df.loc[df["Age"] != 150, "Age"].median()
    df.loc[df["Age"] == 150, "Age"] = median_age

    # Contact Method has Cell/cellular and Telephone/telephone which are the same thing
    df["Contact Method"] = df["Contact Method"].replace({"Cell": "cellular", "Telephone": "telephone"})

    # missing values in the loan columns -> put as unknown (there is already an unknown category)
    df["Housing Loan"] = df["Housing Loan"].fillna("unknown")
    df["Personal Loan"] = df["Personal Loan"].fillna("unknown")

    # campaign calls cannot be negative so remove these rows
    df = df[df["Campaign Calls"] >= 0]

    # client id is just an id, not useful for the model
    df = df.drop(columns=["Client ID"])

    # change target to 1 and 0
    df["Subscription Status"] = df["Subscription Status"].map({"yes": 1, "no": 0})

    print("After cleaning:", df.shape)
    return df


def add_features(df):
    # age group (from EDA, young and old people subscribe more)
    df["Age Group"] = pd.cut(df["Age"], bins=[0, 25, 35, 45, 55, 65, 120],
                             labels=["<25", "25-35", "35-45", "45-55", "55-65", "65+"])
    return df


def encode_and_scale(df, target="Subscription Status"):
    # one hot encoding for the categorical columns and scale the numbers
    X = df.drop(columns=[target])
    y = df[target]

    cat_cols = X.select_dtypes(include=["object", "string", "category"]).columns.tolist()
    num_cols = ["Age", "Campaign Calls", "Previous Contact Days"]

    X = pd.get_dummies(X, columns=cat_cols, drop_first=True)

    scaler = StandardScaler()
    X[num_cols] = scaler.fit_transform(X[num_cols])

    return X, y
