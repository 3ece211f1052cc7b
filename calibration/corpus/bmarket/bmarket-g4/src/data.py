import sqlite3
import pandas as pd


def load_data(path):
    conn = sqlite3.connect(path)
    df = pd.read_sql("select * from bank_marketing", conn)
    return df


def clean(df):
    df["Age"] = df["Age"].str.replace(" years", "").astype(int)
    df = df[df["Age"] < 100]
    df = df.dropna()
    df["Contact Method"] = df["Contact Method"].replace({"Cell": "cellular", "Telephone": "telephone"})
    df["Subscription Status"] = df["Subscription Status"].map({"yes": 1, "no": 0})
    df = pd.get_dummies(df, columns=["Occupation", "Marital Status", "Education Level", "Credit Default",
                                     "Housing Loan", "Personal Loan", "Contact Method"])
    return df
