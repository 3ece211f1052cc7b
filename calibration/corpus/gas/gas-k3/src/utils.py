# helper functions for cleaning the gas monitoring data
import sqlite3
import pandas as pd
import numpy as np


def read_db(path, table='gas_monitoring'):
    conn = sqlite3.connect(path)
    df = pd.read_sql('SELECT * FROM ' + table, conn)
    conn.close()
    return df


def fix_labels(df):
    # some labels are written differently e.g. LowActivity, Low_Activity
    df['Activity Level'] = df['Activity Level'].replace({
        'LowActivity': 'Low Activity',
        'Low_Activity': 'Low Activity',
        'ModerateActivity': 'Moderate Activity',
    })
    return df


def clean_categories(df):
    # HVAC mode has upper/lower case versions of same value
    df['HVAC Operation Mode'] = df['HVAC Operation Mode'].str.lower()
    # fill missing categorical with most common value
    for c in ['CO_GasSensor', 'Ambient Light Level']:
        df[c] = df[c].fillna(df[c].mode()[0])
    return df


def fill_missing_numbers(df, cols):
    for c in cols:
        df[c] = df[c].fillna(df[c].mean())
    return df


def remove_outliers(df, cols):
    # cap outliers using IQR method
    for c in cols:
        q1 = df[c].quantile(0.25)
        q3 = df[c].quantile(0.75)
        iqr = q3 - q1
        low = q1 - 1.5 * iqr
        high = q3 + 1.5 * iqr
        df[c] = np.clip(df[c], low, high)
    return df


def encode(df):
    co_map = {'extremely low': 0, 'low': 1, 'medium': 2, 'high': 3, 'extremely high': 4}
    light_map = {'very_dim': 0, 'dim': 1, 'moderate': 2, 'bright': 3, 'very_bright': 4}
    df['CO_GasSensor'] = df['CO_GasSensor'].map(co_map)
    df['Ambient Light Level'] = df['Ambient Light Level'].map(light_map)
    df = pd.get_dummies(df, columns=['Time of Day', 'HVAC Operation Mode'])
    return df
