import sqlite3
import pandas as pd
from sklearn.preprocessing import LabelEncoder

# categorical columns in the dataset
cat_cols = ['Occupation', 'Marital Status', 'Education Level', 'Credit Default',
            'Housing Loan', 'Personal Loan', 'Contact Method']


def load_data(path):
    # connect to the database and read the table
    conn = sqlite3.connect(path)
    df = pd.read_sql_query("SELECT * FROM bank_marketing", conn)
    conn.close()
    return df


def clean_data(df):
    # remove rows with missing values
    df = df.dropna()

    # convert age from "57 years" to 57
    df['Age'] = df['Age'].str.replace(' years', '')
    df['Age'] = df['Age'].astype(int)

    # Cell and cellular are the same, Telephone and telephone are the same
    df['Contact Method'] = df['Contact Method'].replace({'Cell': 'cellular', 'Telephone': 'telephone'})

    return df


def encode_data(df, encoders=None):
    # label encode the categorical columns so the model can use them
    if encoders is None:
        encoders = {}
        for col in cat_cols:
            le = LabelEncoder()
            df[col] = le.fit_transform(df[col])
            encoders[col] = le
    else:
        for col in cat_cols:
            df[col] = encoders[col].transform(df[col])
    return df, encoders
