# Gas sensor activity level prediction
# AIAP assessment - Brandon Teo

# %% imports
import pandas as pd
import numpy as np
import sqlite3
import argparse
import os
import matplotlib.pyplot as plt
import seaborn as sns
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, classification_report, confusion_matrix
from sklearn.preprocessing import LabelEncoder, StandardScaler

parser = argparse.ArgumentParser()
parser.add_argument("--model", default="rf", help="rf or dt")
parser.add_argument("--test_size", default=0.2, type=float)
args = parser.parse_args()

# %% load data
conn = sqlite3.connect("../data/gas_monitoring.db")
df = pd.read_sql("SELECT * FROM gas_monitoring", conn)
conn.close()
print(df.head())
print(df.shape)
df.info()

# %% cleaning
print(df.isnull().sum())
df = df.dropna()
print("after dropna", df.shape)

# fix target labels
df["Activity Level"] = df["Activity Level"].str.replace("_", " ")
print(df["Activity Level"].value_counts())

# hvac has upper and lower case
df["HVAC Operation Mode"] = df["HVAC Operation Mode"].str.lower()

# %% encoding
cat_cols = ["Time of Day", "CO_GasSensor", "HVAC Operation Mode", "Ambient Light Level"]
for col in cat_cols:
    df[col] = df[col].astype("category").cat.codes

#le = LabelEncoder()
#df['Activity Level'] = le.fit_transform(df['Activity Level'])

X = df.drop(columns=["Activity Level", "Record ID"])
y = df["Activity Level"]
print(X.columns)

# %% train test split
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=args.test_size, random_state=1)
print(X_train.shape, X_test.shape)

# %% models
rf = RandomForestClassifier(random_state=1)
rf.fit(X_train, y_train)
rf_pred = rf.predict(X_test)
print("Random Forest accuracy:", accuracy_score(y_test, rf_pred))

dt = DecisionTreeClassifier(random_state=1)
dt.fit(X_train, y_train)
dt_pred = dt.predict(X_test)
print("Decision Tree accuracy:", accuracy_score(y_test, dt_pred))

# scaler = StandardScaler()
# X_train_s = scaler.fit_transform(X_train)
# lr = LogisticRegression()
# lr.fit(X_train_s, y_train)
# print("LR accuracy:", accuracy_score(y_test, lr.predict(scaler.transform(X_test))))

if args.model == "rf":
    model = rf
    pred = rf_pred
else:
    model = dt
    pred = dt_pred

print(classification_report(y_test, pred))

cm = confusion_matrix(y_test, pred)
sns.heatmap(cm, annot=True, fmt="d")
plt.title("confusion matrix")
plt.show()

# %% feature importance
imp = pd.Series(model.feature_importances_, index=X.columns).sort_values()
print(imp)
imp.plot(kind="barh")
plt.show()

# %% predict holdout
conn = sqlite3.connect("../data/holdout.db")
hold = pd.read_sql("SELECT * FROM gas_monitoring", conn)
conn.close()
print("holdout", hold.shape)

# cant drop rows in holdout so fill the missing values
hold = hold.fillna(hold.mean(numeric_only=True))
hold["CO_GasSensor"] = hold["CO_GasSensor"].fillna("unknown")
hold["Ambient Light Level"] = hold["Ambient Light Level"].fillna("unknown")
hold["HVAC Operation Mode"] = hold["HVAC Operation Mode"].str.lower()
for col in cat_cols:
    hold[col] = hold[col].astype("category").cat.codes

X_hold = hold.drop(columns=["Record ID"])
hold_pred = model.predict(X_hold)

os.makedirs("../output", exist_ok=True)
out = pd.DataFrame({"Record ID": hold["Record ID"], "Activity Level": hold_pred})
out.to_csv("../output/predictions.csv", index=False)
print("done")
