"""Model building, hyperparameter search and evaluation."""
import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (accuracy_score, confusion_matrix, f1_score, precision_score,
                             recall_score, roc_auc_score)
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler


def build_model(name: str, seed: int):
    """Return an (unfitted) estimator for the given model name. Prefix for params is 'clf__'."""
    if name == "logistic_regression":
        clf = LogisticRegression(class_weight="balanced", max_iter=2000)
        return Pipeline([("scale", StandardScaler()), ("clf", clf)])
    if name == "random_forest":
        clf = RandomForestClassifier(class_weight="balanced", random_state=seed, n_jobs=1)
        return Pipeline([("clf", clf)])
    if name == "hist_gradient_boosting":
        clf = HistGradientBoostingClassifier(class_weight="balanced", random_state=seed)
        return Pipeline([("clf", clf)])
    raise ValueError(f"Unknown model '{name}'")


def search_model(name: str, settings: dict, X: pd.DataFrame, y: pd.Series, cfg: dict):
    """Tune one model with grid or random search using stratified k-fold CV on the training set."""
    seed = cfg["split"]["random_state"]
    cv = StratifiedKFold(n_splits=cfg["split"]["cv_folds"], shuffle=True, random_state=seed)
    grid = {f"clf__{k}": v for k, v in settings["params"].items()}
    model = build_model(name, seed)
    if settings.get("search") == "random":
        search = RandomizedSearchCV(model, grid, n_iter=settings.get("n_iter", 10), scoring=cfg["scoring"],
                                    cv=cv, random_state=seed, n_jobs=1)
    else:
        search = GridSearchCV(model, grid, scoring=cfg["scoring"], cv=cv, n_jobs=1)
    search.fit(X, y)
    best = {k.replace("clf__", ""): v for k, v in search.best_params_.items()}
    std = search.cv_results_["std_test_score"][search.best_index_]
    print(f"[train] {name:24s} CV {cfg['scoring']} = {search.best_score_:.4f} (+/- {std:.4f})  {best}")
    return search.best_estimator_, search.best_score_, std


def evaluate(model, X: pd.DataFrame, y: pd.Series, threshold: float = 0.5) -> dict:
    """Compute the test metrics for a fitted model."""
    proba = model.predict_proba(X)[:, 1]
    pred = (proba >= threshold).astype(int)
    return {
        "f1": f1_score(y, pred),
        "precision": precision_score(y, pred),
        "recall": recall_score(y, pred),
        "roc_auc": roc_auc_score(y, proba),
        "accuracy": accuracy_score(y, pred),
        "confusion_matrix": confusion_matrix(y, pred).tolist(),
    }
