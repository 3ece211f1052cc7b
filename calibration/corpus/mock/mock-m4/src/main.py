import pandas as pd
import numpy as np
import sqlite3
import os
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder
from sklearn.tree import DecisionTreeClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, confusion_matrix
import pickle

# settings
DB_PATH = "data/deliveries.db"
HOLDOUT_PATH = "data/holdout.db"
TEST_SIZE = 0.2

# load data
conn = sqlite3.connect(DB_PATH)
df = pd.read_sql("select * from deliveries", conn)
print(df.shape)
print(df.head())

# remove missing values
df = df.dropna()
print("after dropna", df.shape)

# clean parcel weight
df["parcel_weight"] = df["parcel_weight"].str.replace("kg", "").str.replace("g", "")
df["parcel_weight"] = df["parcel_weight"].astype(float)

# express to 0 1
df["express"] = df["express"].apply(lambda x: 1 if x in ["yes", "Yes", "1", "True"] else 0)

# encode categories
le = LabelEncoder()
df["region"] = le.fit_transform(df["region"])
df["vehicle_type"] = le.fit_transform(df["vehicle_type"])
df["weather"] = le.fit_transform(df["weather"])
df["customer_tier"] = le.fit_transform(df["customer_tier"])

# drop columns not needed
df = df.drop(["delivery_id", "order_datetime"], axis=1)

X = df.drop("late", axis=1)
y = df["late"]

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=TEST_SIZE, random_state=1)

# model 1 decision tree
dt = DecisionTreeClassifier()
dt.fit(X_train, y_train)
pred_dt = dt.predict(X_test)
acc_dt = accuracy_score(y_test, pred_dt)
print("Decision Tree accuracy:", acc_dt)
print(confusion_matrix(y_test, pred_dt))

# model 2 random forest
rf = RandomForestClassifier(n_estimators=100)
rf.fit(X_train, y_train)
pred_rf = rf.predict(X_test)
acc_rf = accuracy_score(y_test, pred_rf)
print("Random Forest accuracy:", acc_rf)
print(confusion_matrix(y_test, pred_rf))

# choose best model
if acc_rf > acc_dt:
    model = rf
    print("Best model is Random Forest")
else:
    model = dt
    print("Best model is Decision Tree")

pickle.dump(model, open("model.pkl", "wb"))

# predict holdout
conn2 = sqlite3.connect(HOLDOUT_PATH)
hd = pd.read_sql("select * from deliveries", conn2)
ids = hd["delivery_id"]
hd = hd.fillna(0)
hd["parcel_weight"] = hd["parcel_weight"].astype(str).str.replace("kg", "").str.replace("g", "")
hd["parcel_weight"] = hd["parcel_weight"].astype(float)
hd["express"] = hd["express"].apply(lambda x: 1 if x in ["yes", "Yes", "1", "True"] else 0)
hd["region"] = le.fit_transform(hd["region"])
hd["vehicle_type"] = le.fit_transform(hd["vehicle_type"])
hd["weather"] = le.fit_transform(hd["weather"].astype(str))
hd["customer_tier"] = le.fit_transform(hd["customer_tier"])
hd = hd.drop(["delivery_id", "order_datetime"], axis=1)

preds = model.predict(hd)

if not os.path.exists("output"):
    os.mkdir("output")
result = pd.DataFrame({"delivery_id": ids, "late": preds})
result.to_csv("output/predictions.csv", index=False)
print("done")
