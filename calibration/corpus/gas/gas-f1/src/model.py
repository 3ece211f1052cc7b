"""Model definitions, tuning and evaluation."""
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, balanced_accuracy_score, classification_report, confusion_matrix, f1_score
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler


def build_models(cfg):
    """Return the candidate models and their parameter grids."""
    seed = cfg["split"]["random_state"]
    rf_cfg = cfg["model"]["random_forest"]
    lr_cfg = cfg["model"]["logistic_regression"]

    models = {
        "random_forest": (
            RandomForestClassifier(class_weight="balanced", random_state=seed, n_jobs=1),
            {
                "n_estimators": rf_cfg["n_estimators"],
                "max_depth": rf_cfg["max_depth"],
                "min_samples_leaf": rf_cfg["min_samples_leaf"],
            },
        ),
        "logistic_regression": (
            # scaling is needed for logistic regression, trees don't care
            Pipeline([
                ("scaler", StandardScaler()),
                ("clf", LogisticRegression(class_weight="balanced", max_iter=2000)),
            ]),
            {"clf__C": lr_cfg["C"]},
        ),
    }
    return models


def tune_model(model, grid, X, y, groups, folds):
    """Grid search with GroupKFold so a session never appears in both train and validation folds."""
    search = GridSearchCV(model, grid, scoring="f1_macro", cv=GroupKFold(n_splits=folds), n_jobs=1)
    search.fit(X, y, groups=groups)
    return search


def evaluate(model, X, y, labels):
    """Compute the test metrics for a fitted model."""
    pred = model.predict(X)
    return {
        "macro_f1": f1_score(y, pred, average="macro"),
        "balanced_accuracy": balanced_accuracy_score(y, pred),
        "accuracy": accuracy_score(y, pred),
        "report": classification_report(y, pred, labels=labels, zero_division=0),
        "confusion_matrix": confusion_matrix(y, pred, labels=labels).tolist(),
    }
