import os
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.ensemble import RandomForestClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, classification_report, confusion_matrix, f1_score

from utils import read_db, fix_labels, clean_categories, fill_missing_numbers, remove_outliers, encode

# settings (can be changed with environment variables)
DB_PATH = os.getenv('DB_PATH', 'data/gas_monitoring.db')
HOLDOUT_PATH = os.getenv('HOLDOUT_PATH', 'data/holdout.db')
TEST_SIZE = float(os.getenv('TEST_SIZE', 0.2))
SEED = int(os.getenv('SEED', 42))

NUM_COLS = ['Temperature', 'Humidity', 'CO2_InfraredSensor', 'CO2_ElectroChemicalSensor',
            'MetalOxideSensor_Unit1', 'MetalOxideSensor_Unit2', 'MetalOxideSensor_Unit3',
            'MetalOxideSensor_Unit4']
TARGET = 'Activity Level'


def prepare(df):
    df = clean_categories(df)
    df = fill_missing_numbers(df, NUM_COLS)
    df = remove_outliers(df, NUM_COLS)
    df = encode(df)
    return df


# ---------------- load data ----------------
df = read_db(DB_PATH)
print('data shape', df.shape)
df = fix_labels(df)
print(df[TARGET].value_counts())

df = prepare(df)
X = df.drop(columns=[TARGET, 'Record ID'])
y = df[TARGET]

scaler = StandardScaler()
X_scaled = scaler.fit_transform(X)

X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, test_size=TEST_SIZE, random_state=SEED)

# ---------------- models ----------------
models = {
    'Logistic Regression': LogisticRegression(max_iter=1000),
    'KNN': KNeighborsClassifier(n_neighbors=5),
    'Random Forest': RandomForestClassifier(n_estimators=100, random_state=SEED),
}

results = {}
for name, model in models.items():
    model.fit(X_train, y_train)
    pred = model.predict(X_test)
    acc = accuracy_score(y_test, pred)
    results[name] = acc
    print(name, 'accuracy:', round(acc, 4), 'f1 macro:', round(f1_score(y_test, pred, average='macro'), 4))

# try different number of trees for random forest
best_n = 100
best_acc = results['Random Forest']
for n in [50, 200, 300]:
    rf = RandomForestClassifier(n_estimators=n, random_state=SEED)
    rf.fit(X_train, y_train)
    acc = accuracy_score(y_test, rf.predict(X_test))
    print('RF n_estimators', n, 'accuracy', round(acc, 4))
    if acc > best_acc:
        best_acc = acc
        best_n = n
models['Random Forest'] = RandomForestClassifier(n_estimators=best_n, random_state=SEED).fit(X_train, y_train)
results['Random Forest'] = best_acc

best_name = max(results, key=results.get)
best_model = models[best_name]
print('\nBest model:', best_name, 'accuracy', round(results[best_name], 4))

pred = best_model.predict(X_test)
print(classification_report(y_test, pred))
print(confusion_matrix(y_test, pred))

# ---------------- predict holdout ----------------
try:
    holdout = read_db(HOLDOUT_PATH)
except:
    print('could not read holdout')
    holdout = None

if holdout is not None:
    ids = holdout['Record ID']
    h = prepare(holdout)
    h = h.drop(columns=['Record ID'])
    h = h.reindex(columns=X.columns, fill_value=0)
    h_pred = best_model.predict(scaler.transform(h))
    os.makedirs('output', exist_ok=True)
    pd.DataFrame({'Record ID': ids, 'Activity Level': h_pred}).to_csv('output/predictions.csv', index=False)
    print('predictions saved', len(h_pred))
