# preprocess.py
# Load bank marketing data, clean it and save processed data for training

import sqlite3
import pandas as pd
import numpy as np
import json
import os
import pickle
from sklearn.preprocessing import LabelEncoder, StandardScaler

with open("config.json") as f:
    config = json.load(f)

print("Loading data...")
conn = sqlite3.connect(config["db_path"])
df = pd.read_sql_query("SELECT * FROM " + config["table"], conn)
conn.close()
print("Data shape:", df.shape)

# ---------------- Cleaning ----------------

# Age is stored as text like "57 years", remove the " years"
df["Age"] = df["Age"].str.replace(" years", "").astype(int)

# Contact method has different spelling
df["Contact Method"] = df["Contact Method"].str.lower()

# fill missing values
df["Housing Loan"] = df["Housing Loan"].fillna("unknown")
df["Personal Loan"] = df["Personal Loan"].fillna("unknown")


# remove outliers using IQR method (cap the values)
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

# target to 0/1
df[config["target"]] = df[config["target"]].map({"yes": 1, "no": 0})

# ---------------- Encoding ----------------
cat_cols = ["Occupation", "Marital Status", "Education Level", "Credit Default",
            "Housing Loan", "Personal Loan", "Contact Method"]

encoders = {}
for col in cat_cols:
    le = LabelEncoder()
    df[col] = le.fit_transform(df[col])
    encoders[col] = le

# ---------------- Scaling ----------------
num_cols = ["Age", "Campaign Calls", "Previous Contact Days"]
scaler = StandardScaler()
df[num_cols] = scaler.fit_transform(df[num_cols])

df = df.drop(columns=["Client ID"])

os.makedirs(config["output_dir"], exist_ok=True)
df.to_csv(os.path.join(config["output_dir"], "processed.csv"), index=False)
pickle.dump(encoders, open(os.path.join(config["output_dir"], "encoders.pkl"), "wb"))
pickle.dump(scaler, open(os.path.join(config["output_dir"], "scaler.pkl"), "wb"))
print("Saved processed data:", df.shape)
