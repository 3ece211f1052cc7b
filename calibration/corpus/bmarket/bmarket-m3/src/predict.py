# predict.py
# Predict subscription for the holdout data

import sqlite3
import pandas as pd
import numpy as np
import json
import os
import pickle
from sklearn.preprocessing import LabelEncoder

with open("config.json") as f:
    config = json.load(f)

try:
    conn = sqlite3.connect(config["holdout_path"])
    df = pd.read_sql_query("SELECT * FROM " + config["table"], conn)
    conn.close()
except:
    print("Error reading holdout data")
    exit()

ids = df["Client ID"]

# same cleaning as preprocess.py
df["Age"] = df["Age"].str.replace(" years", "").astype(int)
df["Contact Method"] = df["Contact Method"].str.lower()
df["Housing Loan"] = df["Housing Loan"].fillna("unknown")
df["Personal Loan"] = df["Personal Loan"].fillna("unknown")


def cap_outliers(data, col):
    q1 = data[col].quantile(0.25)
    q3 = data[col].quantile(0.75)
    iqr = q3 - q1
    lower = q1 - 1.5 * iqr
    upper = q3 + 1.5 * iqr
    data[col] = data[col].clip(lower, upper)
    return data


for col in ["Age", "Campaign Calls"]:
    df = cap_outliers(df, col)

cat_cols = ["Occupation", "Marital Status", "Education Level", "Credit Default",
            "Housing Loan", "Personal Loan", "Contact Method"]
for col in cat_cols:
    le = LabelEncoder()
    df[col] = le.fit_transform(df[col])

# use the scaler from training
num_cols = ["Age", "Campaign Calls", "Previous Contact Days"]
scaler = pickle.load(open(os.path.join(config["output_dir"], "scaler.pkl"), "rb"))
df[num_cols] = scaler.transform(df[num_cols])

df = df.drop(columns=["Client ID"])

model = pickle.load(open(os.path.join(config["output_dir"], "model.pkl"), "rb"))
pred = model.predict(df)
proba = model.predict_proba(df)[:, 1]

out = pd.DataFrame({
    "Client ID": ids,
    "Subscription Status": np.where(pred == 1, "yes", "no"),
    "Subscription Status_proba": proba,
})
out.to_csv(os.path.join(config["output_dir"], "predictions.csv"), index=False)
print("Predictions saved:", out.shape)
print(out["Subscription Status"].value_counts())
