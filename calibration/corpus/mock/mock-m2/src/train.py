"""Model training, tuning and evaluation."""
import numpy as np
from lightgbm import LGBMClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (classification_report, confusion_matrix, f1_score,
                             precision_score, recall_score, roc_auc_score)
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline

from features import make_preprocessor


def build_models(seed):
    """The two models I compare. Both get class weighting because only ~23% are late."""
    logreg = Pipeline([
        ("prep", make_preprocessor(scale=True)),
        ("model", LogisticRegression(max_iter=1000, class_weight="balanced")),
    ])
    lgbm = Pipeline([
        ("prep", make_preprocessor(scale=False)),
        ("model", LGBMClassifier(class_weight="balanced", random_state=seed, verbose=-1, n_jobs=1)),
    ])
    return {"logreg": logreg, "lightgbm": lgbm}


LGBM_GRID = {
    "model__n_estimators": [200, 400],
    "model__learning_rate": [0.03, 0.1],
    "model__num_leaves": [15, 31],
}


def cross_validate_models(models, X_train, y_train, seed, folds=5):
    """5-fold stratified CV F1 for each model; lightgbm gets a small grid search."""
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    fitted = {}
    for name, pipe in models.items():
        grid = LGBM_GRID if name == "lightgbm" else {"model__C": [0.1, 1.0]}
        search = GridSearchCV(pipe, grid, scoring="f1", cv=cv, n_jobs=1)
        search.fit(X_train, y_train)
        print(f"[cv] {name}: best F1 = {search.best_score_:.3f}  params = {search.best_params_}")
        fitted[name] = search
    return fitted


def best_threshold(y_true, proba):
    """Find the probability cut-off that gives the highest F1."""
    thresholds = np.arange(0.2, 0.81, 0.05)
    scores = [f1_score(y_true, (proba >= t).astype(int)) for t in thresholds]
    return float(thresholds[int(np.argmax(scores))])


def evaluate(name, model, X_test, y_test, threshold=0.5):
    """Print the usual classification metrics for one model."""
    proba = model.predict_proba(X_test)[:, 1]
    pred = (proba >= threshold).astype(int)
    res = {
        "model": name,
        "threshold": round(threshold, 2),
        "f1": f1_score(y_test, pred),
        "precision": precision_score(y_test, pred),
        "recall": recall_score(y_test, pred),
        "roc_auc": roc_auc_score(y_test, proba),
    }
    print(f"\n--- {name} (threshold {threshold:.2f}) ---")
    print(classification_report(y_test, pred, digits=3))
    print("confusion matrix:\n", confusion_matrix(y_test, pred))
    return res
