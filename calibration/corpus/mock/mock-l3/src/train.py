import os
import pickle
import sys

from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, classification_report, f1_score, roc_auc_score
from sklearn.model_selection import train_test_split

sys.path.append(os.path.dirname(__file__))
import config
from preprocess import add_features, clean_data, encode_and_scale, load_data

df = load_data(config.DB_PATH)
print("data loaded:", df.shape)

df = clean_data(df)
df = add_features(df)
df, scaler, num_cols = encode_and_scale(df)
print("after cleaning:", df.shape)

X = df.drop(columns=["late"])
y = df["late"]

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=config.TEST_SIZE, random_state=config.RANDOM_STATE)

# model 1 - logistic regression
lr = LogisticRegression(max_iter=1000)
lr.fit(X_train, y_train)
lr_pred = lr.predict(X_test)
lr_acc = accuracy_score(y_test, lr_pred)
print("\nLogistic Regression")
print("accuracy:", lr_acc)
print("f1:", f1_score(y_test, lr_pred))
print(classification_report(y_test, lr_pred))

# model 2 - random forest, try different number of trees
best_acc = 0
best_rf = None
for n in config.N_ESTIMATORS_LIST:
    rf = RandomForestClassifier(n_estimators=n, random_state=config.RANDOM_STATE)
    rf.fit(X_train, y_train)
    acc = accuracy_score(y_test, rf.predict(X_test))
    print(f"Random Forest n_estimators={n} accuracy={acc:.4f}")
    if acc > best_acc:
        best_acc = acc
        best_rf = rf

rf_pred = best_rf.predict(X_test)
print("\nRandom Forest (best)")
print("accuracy:", best_acc)
print("f1:", f1_score(y_test, rf_pred))
print(classification_report(y_test, rf_pred))

# pick the model with higher accuracy
if best_acc > lr_acc:
    model = best_rf
    print("Selected model: Random Forest")
else:
    model = lr
    print("Selected model: Logistic Regression")

# find best threshold for F1
proba = model.predict_proba(X_test)[:, 1]
best_t = 0.5
best_f1 = 0
for t in [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]:
    f1 = f1_score(y_test, (proba >= t).astype(int))
    if f1 > best_f1:
        best_f1 = f1
        best_t = t
print(f"best threshold = {best_t}, F1 = {best_f1:.4f}, ROC AUC = {roc_auc_score(y_test, proba):.4f}")

os.makedirs(config.MODEL_DIR, exist_ok=True)
with open(os.path.join(config.MODEL_DIR, "model.pkl"), "wb") as f:
    pickle.dump({"model": model, "scaler": scaler, "num_cols": num_cols,
                 "columns": list(X.columns), "threshold": best_t}, f)
print("model saved")
