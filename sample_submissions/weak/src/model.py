import sqlite3
import pandas as pd
import numpy as np
import os
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
from sklearn.metrics import accuracy_score

# load data
con = sqlite3.connect("data/deliveries.db")
df = pd.read_sql("SELECT * FROM deliveries", con)
con.close()

print(df.shape)
print(df.head())

df2 = df.copy()

# remove the columns that are text
df2 = df2.drop(columns=["delivery_id", "order_datetime", "region", "parcel_weight", "vehicle_type", "weather", "customer_tier"])

# express
tmp = []
for i in df2["express"]:
    try:
        if i == "1" or i == "Yes" or i == "TRUE" or i == "True":
            tmp.append(1)
        else:
            tmp.append(0)
    except:
        pass
df2["express"] = tmp

df2 = df2.dropna()
print(df2.shape)

a = df2.drop(columns=["late"])
b = df2["late"]

x1, x2, y1, y2 = train_test_split(a, b, test_size=0.2, random_state=1)

m = DecisionTreeClassifier(random_state=1)
m.fit(x1, y1)

p = m.predict(x2)
print("accuracy:", accuracy_score(y2, p))

# train on everything
m = DecisionTreeClassifier(random_state=1)
m.fit(a, b)

# holdout
con = sqlite3.connect("data/holdout.db")
h = pd.read_sql("SELECT * FROM deliveries", con)
con.close()

ids = h["delivery_id"]

h2 = h.copy()

# remove the columns that are text
h2 = h2.drop(columns=["delivery_id", "order_datetime", "region", "parcel_weight", "vehicle_type", "weather", "customer_tier"])

# express
tmp = []
for i in h2["express"]:
    try:
        if i == "1" or i == "Yes" or i == "TRUE" or i == "True":
            tmp.append(1)
        else:
            tmp.append(0)
    except:
        pass
h2["express"] = tmp

h2 = h2.fillna(0)

p2 = m.predict(h2)

if not os.path.exists("output"):
    os.mkdir("output")

out = pd.DataFrame()
out["delivery_id"] = ids
out["late"] = p2
out.to_csv("output/predictions.csv", index=False)
print("done")
