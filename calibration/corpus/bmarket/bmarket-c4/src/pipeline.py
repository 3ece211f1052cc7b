import sqlite3
import pandas as pd
import numpy as np
import os
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, classification_report, f1_score
import warnings
warnings.filterwarnings('ignore')


def run_pipeline():
    # read data
    conn = sqlite3.connect('data/bmarket.db')
    df = pd.read_sql('select * from bank_marketing', conn)
    conn.close()
    print(df.shape)
    print(df.head())

    # clean age
    df['Age'] = df['Age'].str.replace(' years', '')
    df['Age'] = df['Age'].astype(int)
    df = df[df['Age'] < 100]

    # fix contact
    df['Contact Method'] = df['Contact Method'].replace('Cell', 'cellular')
    df['Contact Method'] = df['Contact Method'].replace('Telephone', 'telephone')

    # missing values
    df['Housing Loan'] = df['Housing Loan'].fillna('unknown')
    df['Personal Loan'] = df['Personal Loan'].fillna('unknown')

    # campaign calls negative
    df = df[df['Campaign Calls'] > 0]

    # target
    df['Subscription Status'] = df['Subscription Status'].map({'yes': 1, 'no': 0})

    # one hot
    X = df.drop(['Client ID', 'Subscription Status'], axis=1)
    y = df['Subscription Status']
    X = pd.get_dummies(X)
    print(X.shape)

    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)

    # model 1
    lr = LogisticRegression(max_iter=1000)
    lr.fit(X_train, y_train)
    pred_lr = lr.predict(X_test)
    print('Logistic Regression')
    print('accuracy', accuracy_score(y_test, pred_lr))
    print('f1', f1_score(y_test, pred_lr))
    print(classification_report(y_test, pred_lr))

    # model 2
    rf = RandomForestClassifier(n_estimators=100, random_state=42)
    rf.fit(X_train, y_train)
    pred_rf = rf.predict(X_test)
    print('Random Forest')
    print('accuracy', accuracy_score(y_test, pred_rf))
    print('f1', f1_score(y_test, pred_rf))
    print(classification_report(y_test, pred_rf))

    # use best one
    if f1_score(y_test, pred_rf) > f1_score(y_test, pred_lr):
        model = rf
        print('using random forest')
    else:
        model = lr
        print('using logistic regression')

    # holdout
    conn = sqlite3.connect('data/holdout.db')
    hold = pd.read_sql('select * from bank_marketing', conn)
    conn.close()
    ids = hold['Client ID']
    hold['Age'] = hold['Age'].str.replace(' years', '')
    hold['Age'] = hold['Age'].astype(int)
    hold['Contact Method'] = hold['Contact Method'].replace('Cell', 'cellular')
    hold['Contact Method'] = hold['Contact Method'].replace('Telephone', 'telephone')
    hold['Housing Loan'] = hold['Housing Loan'].fillna('unknown')
    hold['Personal Loan'] = hold['Personal Loan'].fillna('unknown')
    hold = hold.drop(['Client ID'], axis=1)
    hold = pd.get_dummies(hold)
    hold = hold.reindex(columns=X.columns, fill_value=0)
    preds = model.predict(hold)
    probs = model.predict_proba(hold)[:, 1]

    os.makedirs('output', exist_ok=True)
    out = pd.DataFrame()
    out['Client ID'] = ids
    out['Subscription Status'] = np.where(preds == 1, 'yes', 'no')
    out['Subscription Status_proba'] = probs
    out.to_csv('output/predictions.csv', index=False)
    print('done')


run_pipeline()
