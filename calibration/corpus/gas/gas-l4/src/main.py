import sqlite3
import pandas as pd
import numpy as np
import yaml
from sklearn.preprocessing import LabelEncoder
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.metrics import accuracy_score, confusion_matrix
import os

# load config
with open("../config.yaml") as f:
    cfg = yaml.safe_load(f)

# read data
conn = sqlite3.connect("../data/gas_monitoring.db")
df = pd.read_sql("select * from gas_monitoring", conn)
print(df.shape)

# read holdout
try:
    conn2 = sqlite3.connect("../data/holdout.db")
    holdout = pd.read_sql("select * from gas_monitoring", conn2)
except Exception as e:
    print(e)
    holdout = None


def clean(data):
    data = data.copy()
    num_cols = ['Temperature', 'Humidity', 'CO2_InfraredSensor', 'CO2_ElectroChemicalSensor',
                'MetalOxideSensor_Unit1', 'MetalOxideSensor_Unit2', 'MetalOxideSensor_Unit3',
                'MetalOxideSensor_Unit4']
    for c in num_cols:
        data[c] = data[c].fillna(0)
    data['CO_GasSensor'] = data['CO_GasSensor'].fillna('unknown')
    data['Ambient Light Level'] = data['Ambient Light Level'].fillna('unknown')
    data = data.drop(columns=['Record ID'])
    return data


df = clean(df)

# fix target names
df['Activity Level'] = df['Activity Level'].str.replace('_', ' ')
df['Activity Level'] = df['Activity Level'].str.replace('LowActivity', 'Low Activity')
print(df['Activity Level'].value_counts())

# encode categorical columns
cat_cols = ['Time of Day', 'CO_GasSensor', 'HVAC Operation Mode', 'Ambient Light Level']
encoders = {}
if holdout is not None:
    holdout_ids = holdout['Record ID']
    holdout = clean(holdout)
for c in cat_cols:
    le = LabelEncoder()
    if holdout is not None:
        le.fit(pd.concat([df[c], holdout[c]]))
        holdout[c] = le.transform(holdout[c])
    else:
        le.fit(df[c])
    df[c] = le.transform(df[c])
    encoders[c] = le

X = df.drop(columns=['Activity Level'])
y = df['Activity Level']

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=cfg['test_size'], random_state=1)

# model 1
dt = DecisionTreeClassifier(max_depth=cfg['max_depth'])
dt.fit(X_train, y_train)
dt_acc = accuracy_score(y_test, dt.predict(X_test))
print("Decision Tree accuracy:", dt_acc)

# model 2
knn = KNeighborsClassifier(n_neighbors=cfg['n_neighbors'])
knn.fit(X_train, y_train)
knn_acc = accuracy_score(y_test, knn.predict(X_test))
print("KNN accuracy:", knn_acc)

if dt_acc > knn_acc:
    model = dt
    print("using decision tree")
else:
    model = knn
    print("using knn")

print(confusion_matrix(y_test, model.predict(X_test)))

# predictions
if holdout is not None:
    preds = model.predict(holdout[X.columns])
    os.makedirs("../output", exist_ok=True)
    out = pd.DataFrame({'Record ID': holdout_ids, 'Activity Level': preds})
    out.to_csv("../output/predictions.csv", index=False)
    print("done, saved predictions")
