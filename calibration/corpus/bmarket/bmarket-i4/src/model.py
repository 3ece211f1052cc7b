# model.py
# Model training, tuning and evaluation functions

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (classification_report, confusion_matrix, f1_score,
                             precision_score, recall_score, roc_auc_score)
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from xgboost import XGBClassifier


def get_models(pos_weight, seed=42):
    """Return the candidate models and the param grid for each one."""
    models = {
        "logreg": (
            make_pipeline(StandardScaler(), LogisticRegression(class_weight="balanced", max_iter=1000)),
            {"logisticregression__C": [0.01, 0.1, 1.0]},
        ),
        "xgboost": (
            XGBClassifier(n_estimators=200, scale_pos_weight=pos_weight, eval_metric="logloss",
                          random_state=seed, n_jobs=1),
            {"max_depth": [3, 5], "learning_rate": [0.05, 0.1], "subsample": [0.8, 1.0]},
        ),
    }
    return models


def tune_model(name, model, grid, X_train, y_train, cv_folds=3, seed=42):
    """Grid search with stratified CV, scored on f1. Returns best fitted model."""
    cv = StratifiedKFold(n_splits=cv_folds, shuffle=True, random_state=seed)
    gs = GridSearchCV(model, grid, scoring="f1", cv=cv, n_jobs=1)
    gs.fit(X_train, y_train)
    print(f"[{name}] best params: {gs.best_params_}")
    print(f"[{name}] best CV f1: {gs.best_score_:.4f}")
    return gs.best_estimator_, gs.best_score_


def find_best_threshold(y_true, proba):
    """Try thresholds from 0.1 to 0.9 and return the one with the highest f1."""
    best_t, best_f1 = 0.5, 0
    for t in np.arange(0.1, 0.91, 0.05):
        f1 = f1_score(y_true, (proba >= t).astype(int))
        if f1 > best_f1:
            best_t, best_f1 = t, f1
    return round(best_t, 2), best_f1


def evaluate(name, y_true, proba, threshold=0.5):
    """Print the metrics for the positive class."""
    pred = (proba >= threshold).astype(int)
    print(f"\n===== {name} (threshold={threshold}) =====")
    print(f"F1 (yes):        {f1_score(y_true, pred):.4f}")
    print(f"Precision (yes): {precision_score(y_true, pred):.4f}")
    print(f"Recall (yes):    {recall_score(y_true, pred):.4f}")
    print(f"ROC AUC:         {roc_auc_score(y_true, proba):.4f}")
    print("Confusion matrix:")
    print(confusion_matrix(y_true, pred))
    print(classification_report(y_true, pred, target_names=["no", "yes"]))
    return f1_score(y_true, pred)
