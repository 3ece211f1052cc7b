"""Model training with a small grid search for each model."""
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline

from src.features import build_preprocessor


def get_models(cfg):
    """Return the candidate models and their parameter grids."""
    grids = cfg["models"]
    models = {
        "logreg": (
            LogisticRegression(max_iter=1000, class_weight="balanced"),
            {"model__C": grids["logreg"]["C"]},
        ),
        "hist_gb": (
            HistGradientBoostingClassifier(class_weight="balanced", random_state=42),
            {
                "model__learning_rate": grids["hist_gb"]["learning_rate"],
                "model__max_depth": grids["hist_gb"]["max_depth"],
                "model__max_iter": grids["hist_gb"]["max_iter"],
            },
        ),
    }
    return models


def train_models(X_train, y_train, cfg):
    """Grid search every model with stratified CV on the training set.

    Returns a dict name -> fitted GridSearchCV.
    """
    cv = StratifiedKFold(n_splits=cfg["training"]["cv_folds"], shuffle=True,
                         random_state=cfg["split"]["random_state"])
    results = {}
    for name, (estimator, grid) in get_models(cfg).items():
        pipe = Pipeline([("prep", build_preprocessor()), ("model", estimator)])
        search = GridSearchCV(pipe, grid, cv=cv, scoring=cfg["training"]["scoring"], n_jobs=1)
        search.fit(X_train, y_train)
        print(f"{name}: best CV {cfg['training']['scoring']} = {search.best_score_:.4f} "
              f"with {search.best_params_}")
        results[name] = search
    return results
