#!/usr/bin/env python
# coding: utf-8

# In[1]:


import pandas as pd
import numpy as np
import sqlite3


# In[2]:


conn = sqlite3.connect('data/bmarket.db')
df = pd.read_sql_query('SELECT * FROM bank_marketing', conn)
print(df.shape)
#df.head()


# In[3]:


# drop id
df = df.drop('Client ID', axis=1)
# housing loan too many missing values so drop it
df = df.drop('Housing Loan', axis=1)
df = df.dropna()
print(df.shape)


# In[4]:


from sklearn.preprocessing import LabelEncoder
encoders = {}
for col in df.columns:
    if df[col].dtype == 'object' or df[col].dtype == 'str':
        le = LabelEncoder()
        df[col] = le.fit_transform(df[col])
        encoders[col] = le
#print(df.head())


# In[5]:


X = df.drop('Subscription Status', axis=1)
y = df['Subscription Status']

from sklearn.feature_selection import SelectKBest, chi2
selector = SelectKBest(chi2, k=6)
X_new = selector.fit_transform(X.abs(), y)
cols = X.columns[selector.get_support()]
print('selected features:', list(cols))
X = X[cols]


# In[6]:


from sklearn.model_selection import train_test_split
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=1)


# In[7]:


from sklearn.tree import DecisionTreeClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, classification_report

dt = DecisionTreeClassifier()
dt.fit(X_train, y_train)
print('Decision Tree accuracy:', accuracy_score(y_test, dt.predict(X_test)))

rf = RandomForestClassifier()
rf.fit(X_train, y_train)
pred = rf.predict(X_test)
print('Random Forest accuracy:', accuracy_score(y_test, pred))
print(classification_report(y_test, pred))

#from sklearn.svm import SVC
#svc = SVC()
#svc.fit(X_train, y_train)
#print('SVC accuracy:', accuracy_score(y_test, svc.predict(X_test)))


# In[8]:


# random forest is the best model, use it for predicting
test = pd.read_sql_query('SELECT * FROM bank_marketing', sqlite3.connect('data/holdout.db'))
ids = test['Client ID']
for col in cols:
    if col in encoders:
        test[col] = encoders[col].transform(test[col])
print(test.head())

result = rf.predict(test[cols])
result = encoders['Subscription Status'].inverse_transform(result)


# In[9]:


import os
os.makedirs('output', exist_ok=True)
out = pd.DataFrame({'Client ID': ids, 'Subscription Status': result})
out.to_csv('output/predictions.csv', index=False)
print('done')
