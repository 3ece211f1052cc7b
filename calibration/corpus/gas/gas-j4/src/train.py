"""
train.py
Model training, hyperparameter tuning and evaluation.
"""
from sklearn.ensemble import RandomForestClassifier
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.metrics import accuracy_score, classification_report, confusion_matrix, f1_score
from sklearn.model_selection import GridSearchCV
from xgboost import XGBClassifier


def select_features(X, y, k):
    """Keep the k best features according to the ANOVA F-test."""
    selector = SelectKBest(f_classif, k=k)
    selector.fit(X, y)
    selected = list(X.columns[selector.get_support()])
    print(f"Selected {len(selected)} features: {selected}")
    return selected


def get_model(name, random_state):
    """Return an untrained model by name."""
    if name == "random_forest":
        return RandomForestClassifier(random_state=random_state, n_jobs=2)
    if name == "xgboost":
        return XGBClassifier(random_state=random_state, n_jobs=2, eval_metric="mlogloss")
    raise ValueError(f"Unknown model: {name}")


def tune_model(name, param_grid, X_train, y_train, cv_folds, random_state):
    """Grid search the hyperparameters of one model with cross validation."""
    model = get_model(name, random_state)
    grid = GridSearchCV(model, param_grid, cv=cv_folds, scoring="accuracy")
    grid.fit(X_train, y_train)
    print(f"{name}: best params {grid.best_params_}, CV accuracy {grid.best_score_:.4f}")
    return grid.best_estimator_


def evaluate_model(model, X_test, y_test, class_names):
    """Print the metrics of a model on the test set and return accuracy and macro F1."""
    y_pred = model.predict(X_test)
    acc = accuracy_score(y_test, y_pred)
    f1 = f1_score(y_test, y_pred, average="macro")
    print(classification_report(y_test, y_pred, target_names=class_names))
    print("Confusion matrix:")
    print(confusion_matrix(y_test, y_pred))
    return {"accuracy": acc, "f1_macro": f1}
