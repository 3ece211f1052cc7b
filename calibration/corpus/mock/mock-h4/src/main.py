import pandas as pd
import numpy as np
import sqlite3
import matplotlib.pyplot as plt
import seaborn as sns
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier
from sklearn.preprocessing import LabelEncoder, StandardScaler
from sklearn.metrics import accuracy_score, confusion_matrix

# load data
conn = sqlite3.connect('data/deliveries.db')
df = pd.read_sql('select * from deliveries', conn)
print(df.head())
print(df.shape)

# clean data
df = df.dropna()
df['region'] = df['region'].str.lower()
df['vehicle_type'] = df['vehicle_type'].str.lower()
df['express'] = df['express'].replace({'Yes': 1, 'yes': 1, 'TRUE': 1, 'True': 1, '1': 1,
                                       'No': 0, 'no': 0, 'FALSE': 0, 'false': 0, '0': 0}).astype(int)
df['parcel_weight'] = df['parcel_weight'].str.replace('kg', '').str.replace('g', '').astype(float)
df = df.drop(['delivery_id', 'order_datetime'], axis=1)
print(df.shape)

# encode
le = LabelEncoder()
for col in ['region', 'vehicle_type', 'weather', 'customer_tier']:
    df[col] = le.fit_transform(df[col])

X = df.drop('late', axis=1)
y = df['late']

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)

# model 1
lr = LogisticRegression()
lr.fit(X_train, y_train)
pred1 = lr.predict(X_test)
print('Logistic Regression accuracy:', accuracy_score(y_test, pred1))

# model 2
dt = DecisionTreeClassifier(max_depth=5)
dt.fit(X_train, y_train)
pred2 = dt.predict(X_test)
print('Decision Tree accuracy:', accuracy_score(y_test, pred2))
print(confusion_matrix(y_test, pred2))

# choose best model
if accuracy_score(y_test, pred1) > accuracy_score(y_test, pred2):
    model = lr
    print('best model is logistic regression')
else:
    model = dt
    print('best model is decision tree')

# predict holdout
conn2 = sqlite3.connect('data/holdout.db')
test = pd.read_sql('select * from deliveries', conn2)
ids = test['delivery_id']
test = test.fillna(test.mode().iloc[0])
test['region'] = test['region'].str.lower()
test['vehicle_type'] = test['vehicle_type'].str.lower()
test['express'] = test['express'].replace({'Yes': 1, 'yes': 1, 'TRUE': 1, 'True': 1, '1': 1,
                                           'No': 0, 'no': 0, 'FALSE': 0, 'false': 0, '0': 0}).astype(int)
test['parcel_weight'] = test['parcel_weight'].str.replace('kg', '').str.replace('g', '').astype(float)
test = test.drop(['delivery_id', 'order_datetime'], axis=1)
for col in ['region', 'vehicle_type', 'weather', 'customer_tier']:
    test[col] = le.fit_transform(test[col])

result = pd.DataFrame()
result['delivery_id'] = ids
result['late'] = model.predict(test)
result.to_csv('output/predictions.csv', index=False)
print('done')
