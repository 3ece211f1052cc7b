"""Model definitions, training and evaluation."""
from lightgbm import LGBMClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (classification_report, confusion_matrix, f1_score, precision_score,
                             recall_score, roc_auc_score)
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def get_models(seed):
    """Return the candidate models.

    Logistic regression is a simple, explainable baseline. LightGBM can pick up
    non-linear effects such as the U-shape in age and interactions between
    contact method and previous contact.
    Both use class weights because only ~11% of clients subscribe.
    """
    return {
        "logistic_regression": make_pipeline(
            StandardScaler(), LogisticRegression(max_iter=1000, class_weight="balanced")
        ),
        "lightgbm": LGBMClassifier(class_weight="balanced", random_state=seed, verbose=-1, n_jobs=1),
    }


LGBM_GRID = {
    "num_leaves": [15, 31],
    "learning_rate": [0.05, 0.1],
    "n_estimators": [100, 300],
}


def train_model(name, model, X_train, y_train, cv_folds):
    """Fit one model. LightGBM is tuned with a small grid search on the training data."""
    if name == "lightgbm":
        search = GridSearchCV(model, LGBM_GRID, scoring="f1", cv=cv_folds, n_jobs=1)
        search.fit(X_train, y_train)
        print(f"  best lightgbm params: {search.best_params_} (cv f1 = {search.best_score_:.3f})")
        return search.best_estimator_
    model.fit(X_train, y_train)
    return model


def evaluate(model, X, y, label=""):
    """Print and return the main metrics for the positive class."""
    pred = model.predict(X)
    proba = model.predict_proba(X)[:, 1]
    scores = {
        "f1": f1_score(y, pred),
        "precision": precision_score(y, pred),
        "recall": recall_score(y, pred),
        "roc_auc": roc_auc_score(y, proba),
    }
    print(f"[{label}] " + "  ".join(f"{k}={v:.3f}" for k, v in scores.items()))
    return scores


def print_report(model, X, y):
    pred = model.predict(X)
    print(classification_report(y, pred, target_names=["no", "yes"]))
    print("Confusion matrix:\n", confusion_matrix(y, pred))
