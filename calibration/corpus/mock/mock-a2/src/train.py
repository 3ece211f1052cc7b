from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, f1_score, classification_report, confusion_matrix
from sklearn.model_selection import GridSearchCV
from xgboost import XGBClassifier


def train_random_forest(X_train, y_train, random_state=42):
    """Random forest with grid search"""
    param_grid = {
        "n_estimators": [100, 200],
        "max_depth": [5, 10, None],
    }
    rf = RandomForestClassifier(random_state=random_state)
    grid = GridSearchCV(rf, param_grid, cv=3, scoring="accuracy", n_jobs=-1)
    grid.fit(X_train, y_train)
    print("Best RF params:", grid.best_params_)
    print("Best RF CV accuracy:", round(grid.best_score_, 4))
    return grid.best_estimator_


def train_xgboost(X_train, y_train, random_state=42):
    """XGBoost classifier"""
    model = XGBClassifier(n_estimators=300, learning_rate=0.1, max_depth=5,
                          eval_metric="logloss", random_state=random_state)
    model.fit(X_train, y_train)
    return model


def evaluate(model, X, y, name):
    """Print the metrics for a model"""
    preds = model.predict(X)
    acc = accuracy_score(y, preds)
    f1 = f1_score(y, preds)
    print(f"\n===== {name} =====")
    print(f"Accuracy: {acc:.4f}")
    print(f"F1 score: {f1:.4f}")
    print(confusion_matrix(y, preds))
    print(classification_report(y, preds))
    return {"model": name, "accuracy": acc, "f1": f1}
