#!/usr/bin/env python
# coding: utf-8

# In[1]:


import pandas as pd
import matplotlib.pyplot as plt


# In[2]:


df = pd.read_csv("data/train.csv")
# df = df.dropna()
# print(df.head())


# In[3]:


# df.plot()
plt.hist(df["distance_km"])
plt.show()
print(df.describe())
