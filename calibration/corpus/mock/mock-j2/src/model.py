from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier
from sklearn.metrics import accuracy_score, precision_score, recall_score, f1_score, roc_auc_score, confusion_matrix


def get_models(n_estimators=100):
    models = {
        "Logistic Regression": LogisticRegression(max_iter=1000),
        "Random Forest": RandomForestClassifier(n_estimators=n_estimators, random_state=42),
        "Gradient Boosting": GradientBoostingClassifier(n_estimators=n_estimators, random_state=42),
    }
    return models


def evaluate_model(model, X_test, y_test):
    y_pred = model.predict(X_test)
    y_proba = model.predict_proba(X_test)[:, 1]
    results = {
        "accuracy": accuracy_score(y_test, y_pred),
        "precision": precision_score(y_test, y_pred),
        "recall": recall_score(y_test, y_pred),
        "f1": f1_score(y_test, y_pred),
        "roc_auc": roc_auc_score(y_test, y_proba),
    }
    print(confusion_matrix(y_test, y_pred))
    return results


def train_and_compare(X_train, y_train, X_test, y_test, n_estimators=100):
    results = {}
    trained = {}
    for name, model in get_models(n_estimators).items():
        print("Training", name, "...")
        model.fit(X_train, y_train)
        res = evaluate_model(model, X_test, y_test)
        print(name, res)
        results[name] = res
        trained[name] = model
    # pick best model by f1
    best_name = max(results, key=lambda k: results[k]["f1"])
    print("Best model:", best_name, "with f1 =", round(results[best_name]["f1"], 4))
    return trained[best_name], best_name, results
