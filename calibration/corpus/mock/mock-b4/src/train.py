# train.py - train models on data/train_clean.csv and predict holdout
import os
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import accuracy_score, f1_score, classification_report, confusion_matrix

try:
    df = pd.read_csv("data/train_clean.csv")
    X = df.drop(columns=["delivery_id", "late"])
    y = df["late"]

    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=1)

    scaler = StandardScaler()
    X_train_s = scaler.fit_transform(X_train)
    X_test_s = scaler.transform(X_test)

    # model 1 - logistic regression
    lr = LogisticRegression(max_iter=1000, class_weight="balanced")
    lr.fit(X_train_s, y_train)
    pred_lr = lr.predict(X_test_s)
    print("Logistic Regression")
    print("accuracy", accuracy_score(y_test, pred_lr))
    print("f1", f1_score(y_test, pred_lr))
    print(confusion_matrix(y_test, pred_lr))

    # model 2 - random forest
    rf = RandomForestClassifier(n_estimators=300, max_depth=12, min_samples_leaf=3,
                                class_weight="balanced", random_state=1)
    rf.fit(X_train, y_train)
    pred_rf = rf.predict(X_test)
    print("Random Forest")
    print("accuracy", accuracy_score(y_test, pred_rf))
    print("f1", f1_score(y_test, pred_rf))
    print(confusion_matrix(y_test, pred_rf))
    print(classification_report(y_test, pred_rf))

    imp = pd.Series(rf.feature_importances_, index=X.columns).sort_values(ascending=False)
    print("feature importance")
    print(imp.head(10))

    # predict holdout with better model
    hold = pd.read_csv("data/holdout_clean.csv")
    ids = hold["delivery_id"]
    hold = hold.reindex(columns=X.columns, fill_value=0)

    if f1_score(y_test, pred_rf) >= f1_score(y_test, pred_lr):
        print("using random forest")
        pred = rf.predict(hold)
        proba = rf.predict_proba(hold)[:, 1]
    else:
        print("using logistic regression")
        pred = lr.predict(scaler.transform(hold))
        proba = lr.predict_proba(scaler.transform(hold))[:, 1]

    os.makedirs("output", exist_ok=True)
    out = pd.DataFrame({"delivery_id": ids, "late": pred, "late_proba": proba})
    out.to_csv("output/predictions.csv", index=False)
    print("predictions saved", out.shape)
except Exception as e:
    print(e)
