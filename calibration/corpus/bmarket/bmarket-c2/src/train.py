"""Model definitions and training."""
import logging

from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline

from preprocess import build_preprocessor

logger = logging.getLogger(__name__)


def get_models(random_state: int) -> dict:
    """Return the candidate models and the parameter grid for each."""
    return {
        "logistic_regression": (
            LogisticRegression(class_weight="balanced", max_iter=1000),
            {"clf__C": [0.1, 1.0, 10.0]},
        ),
        "random_forest": (
            RandomForestClassifier(
                n_estimators=100, class_weight="balanced", random_state=random_state, n_jobs=1
            ),
            {"clf__max_depth": [8, 12], "clf__min_samples_leaf": [5, 20]},
        ),
    }


def train_model(name, estimator, param_grid, X_train, y_train, cv_folds, random_state):
    """Grid search one model with stratified k-fold, scored on F1."""
    pipe = Pipeline(steps=[("prep", build_preprocessor()), ("clf", estimator)])
    cv = StratifiedKFold(n_splits=cv_folds, shuffle=True, random_state=random_state)
    search = GridSearchCV(pipe, param_grid, scoring="f1", cv=cv, n_jobs=1)
    search.fit(X_train, y_train)
    logger.info("%s best params: %s, CV f1: %.4f", name, search.best_params_, search.best_score_)
    return search.best_estimator_, search.best_score_
