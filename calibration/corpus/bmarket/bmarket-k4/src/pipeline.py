#!/usr/bin/env python
# coding: utf-8

# In[1]:


import pandas as pd
import numpy as np
import sqlite3
import json
import os
import matplotlib.pyplot as plt
import seaborn as sns
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier
from sklearn.metrics import accuracy_score, confusion_matrix


# In[2]:


config = json.load(open('../config.json'))

conn = sqlite3.connect('../data/bmarket.db')
df = pd.read_sql_query("select * from bank_marketing", conn)
print(df.shape)
df.head()


# In[3]:


# cleaning
df = df.drop('Housing Loan', axis=1)  # too many missing
df = df.dropna()
df['Age'] = df['Age'].str.replace(' years', '')
df['Age'] = df['Age'].astype(int)
print(df.shape)


# In[4]:


le = LabelEncoder()
df['Occupation'] = le.fit_transform(df['Occupation'])
df['Marital Status'] = le.fit_transform(df['Marital Status'])
df['Education Level'] = le.fit_transform(df['Education Level'])
df['Credit Default'] = le.fit_transform(df['Credit Default'])
df['Personal Loan'] = le.fit_transform(df['Personal Loan'])
df['Contact Method'] = le.fit_transform(df['Contact Method'])
df['Subscription Status'] = le.fit_transform(df['Subscription Status'])
#df['Housing Loan'] = le.fit_transform(df['Housing Loan'])


# In[5]:


X = df.drop(['Subscription Status', 'Client ID'], axis=1)
y = df['Subscription Status']
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=config['test_size'], random_state=config['random_state'])
print(X_train.shape, X_test.shape)


# In[6]:


# model 1
lr = LogisticRegression()
lr.fit(X_train, y_train)
pred1 = lr.predict(X_test)
acc1 = accuracy_score(y_test, pred1)
print('Logistic Regression accuracy:', acc1)
print(confusion_matrix(y_test, pred1))


# In[7]:


# model 2
dt = DecisionTreeClassifier()
dt.fit(X_train, y_train)
pred2 = dt.predict(X_test)
acc2 = accuracy_score(y_test, pred2)
print('Decision Tree accuracy:', acc2)
print(confusion_matrix(y_test, pred2))


# In[8]:


if acc1 > acc2:
    model = lr
    print('best model is logistic regression')
else:
    model = dt
    print('best model is decision tree')


# In[9]:


# predict on holdout
conn2 = sqlite3.connect('../data/holdout.db')
test = pd.read_sql_query("select * from bank_marketing", conn2)
test = test.drop('Housing Loan', axis=1)
test = test.fillna('no')
test['Age'] = test['Age'].str.replace(' years', '')
test['Age'] = test['Age'].astype(int)
test['Occupation'] = le.fit_transform(test['Occupation'])
test['Marital Status'] = le.fit_transform(test['Marital Status'])
test['Education Level'] = le.fit_transform(test['Education Level'])
test['Credit Default'] = le.fit_transform(test['Credit Default'])
test['Personal Loan'] = le.fit_transform(test['Personal Loan'])
test['Contact Method'] = le.fit_transform(test['Contact Method'])


# In[10]:


pred = model.predict(test.drop(['Client ID'], axis=1))
result = pd.DataFrame()
result['Client ID'] = test['Client ID']
result['Subscription Status'] = pred
result['Subscription Status'] = result['Subscription Status'].map({0: 'no', 1: 'yes'})
os.mkdir('../output')
result.to_csv('../output/predictions.csv', index=False)
print('done')
