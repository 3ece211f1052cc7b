#!/usr/bin/env python
# coding: utf-8

# In[1]:


import pandas as pd
import numpy as np
import sqlite3
import os


# In[2]:


if os.path.exists('data/deliveries.db'):
    conn = sqlite3.connect('data/deliveries.db')
    df = pd.read_sql('select * from deliveries', conn)
else:
    # make some data so the code still runs
    n = 5000
    df = pd.DataFrame({
        'delivery_id': ['D' + str(i) for i in range(n)],
        'order_datetime': pd.date_range('2024-01-01', periods=n, freq='h').astype(str),
        'region': np.random.choice(['North', 'South', 'East', 'West', 'Central'], n),
        'distance_km': np.random.uniform(1, 20, n),
        'parcel_weight': [str(round(x, 1)) + 'kg' for x in np.random.uniform(0.1, 10, n)],
        'num_items': np.random.randint(1, 20, n),
        'vehicle_type': np.random.choice(['van', 'motorcycle', 'truck', 'bicycle'], n),
        'driver_experience_yrs': np.random.uniform(0, 15, n),
        'driver_rating': np.random.uniform(2, 5, n),
        'weather': np.random.choice(['clear', 'rain', 'haze', 'storm'], n),
        'traffic_index': np.random.uniform(0, 10, n),
        'customer_tier': np.random.choice(['standard', 'premium', 'business'], n),
        'express': np.random.choice(['Yes', 'No'], n),
        'late': np.random.randint(0, 2, n),
    })
print(df.shape)
df.head()


# In[3]:


print(df.isnull().sum())
#df.info()


# In[4]:


df = df.drop_duplicates()
df['region'] = df['region'].str.strip().str.lower()
df['vehicle_type'] = df['vehicle_type'].str.strip().str.lower()
print(df['region'].unique())


# In[5]:


def weight(x):
    x = str(x)
    if 'kg' in x:
        return float(x.replace('kg', ''))
    elif 'g' in x:
        return float(x.replace('g', ''))/1000
    else:
        return np.nan
df['weight'] = df['parcel_weight'].apply(weight)
df['express'] = df['express'].str.lower().map({'yes':1,'true':1,'1':1,'no':0,'false':0,'0':0})
#df['express'] = df['express'].map({'Yes':1,'No':0})
print(df['weight'].describe())


# In[6]:


df = df.dropna()
print(df.shape)


# In[7]:


from sklearn.preprocessing import LabelEncoder
le = LabelEncoder()
for c in ['region','vehicle_type','weather','customer_tier']:
    df[c] = le.fit_transform(df[c])
df['hour'] = pd.to_datetime(df['order_datetime']).dt.hour


# In[8]:


X = df.drop(['delivery_id','order_datetime','parcel_weight','late'], axis=1)
y = df['late']
print(X.columns)
from sklearn.model_selection import train_test_split
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=1)


# In[9]:


from sklearn.tree import DecisionTreeClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
dt = DecisionTreeClassifier()
dt.fit(X_train, y_train)
print('DT acc', accuracy_score(y_test, dt.predict(X_test)))


# In[10]:


rf = RandomForestClassifier(n_estimators=100)
rf.fit(X_train, y_train)
pred = rf.predict(X_test)
print('RF acc', accuracy_score(y_test, pred))
#print(rf.feature_importances_)


# In[11]:


# predict holdout
if os.path.exists('data/holdout.db'):
    h = pd.read_sql('select * from deliveries', sqlite3.connect('data/holdout.db'))
    h['region'] = h['region'].str.strip().str.lower()
    h['vehicle_type'] = h['vehicle_type'].str.strip().str.lower()
    h['weight'] = h['parcel_weight'].apply(weight)
    h['express'] = h['express'].str.lower().map({'yes':1,'true':1,'1':1,'no':0,'false':0,'0':0})
    h = h.fillna(0)
    for c in ['region','vehicle_type','weather','customer_tier']:
        h[c] = le.fit_transform(h[c].astype(str))
    h['hour'] = pd.to_datetime(h['order_datetime']).dt.hour
    print(h.shape)
    os.makedirs('output', exist_ok=True)
    out = pd.DataFrame({'delivery_id': h['delivery_id'], 'late': rf.predict(h[X.columns])})
    out.to_csv('output/predictions.csv', index=False)
    print('done')


# In[ ]:




