# predict.py
# make predictions for the holdout data

import os
import sqlite3
import pandas as pd
from sklearn.preprocessing import StandardScaler


def predict_holdout(model, train_columns, holdout_path, table_name, output_path):
    conn = sqlite3.connect(holdout_path)
    df = pd.read_sql_query("SELECT * FROM " + table_name, conn)
    conn.close()
    print("Holdout shape", df.shape)

    ids = df["Client ID"]

    # same cleaning as training
    df["Age"] = df["Age"].str.replace(" years", "").astype(int)
    df.loc[df["Age"] == 150, "Age"] = df["Age"].median()
    df["Contact Method"] = df["Contact Method"].replace({"Cell": "cellular", "Telephone": "telephone"})
    df["Housing Loan"] = df["Housing Loan"].fillna("unknown")
    df["Personal Loan"] = df["Personal Loan"].fillna("unknown")
    df = df.drop(columns=["Client ID"])
    df["Age Group"] = pd.cut(df["Age"], bins=[0, 25, 35, 45, 55, 65, 120],
                             labels=["<25", "25-35", "35-45", "45-55", "55-65", "65+"])

    cat_cols = df.select_dtypes(include=["object", "string", "category"]).columns.tolist()
    df = pd.get_dummies(df, columns=cat_cols, drop_first=True)
    # make sure columns are the same as training
    df = df.reindex(columns=train_columns, fill_value=0)

    num_cols = ["Age", "Campaign Calls", "Previous Contact Days"]
    scaler = StandardScaler()
    df[num_cols] = scaler.fit_transform(df[num_cols])

    preds = model.predict(df)
    probs = model.predict_proba(df)[:, 1]

    out = pd.DataFrame({
        "Client ID": ids,
        "Subscription Status": ["yes" if p == 1 else "no" for p in preds],
        "Subscription Status_proba": probs,
    })
    os.makedirs(os.path.dirname(output_path), exist_ok=True)
    out.to_csv(output_path, index=False)
    print("Saved predictions to", output_path)
