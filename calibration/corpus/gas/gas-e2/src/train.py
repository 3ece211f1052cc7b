"""
train.py
Model definitions, training with cross-validation and evaluation.
"""
import pandas as pd
from lightgbm import LGBMClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.metrics import classification_report, confusion_matrix, f1_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline


def get_models(seed):
    """Return the candidate models with their small parameter grids.

    Random Forest: robust, not sensitive to scaling, handles the
    non-linear relationships seen in the EDA.
    LightGBM: gradient boosting, usually the best on tabular data and
    it can learn interactions between the sensors.
    Both use class_weight='balanced' because High Activity is only ~11% of rows.
    """
    models = {
        "random_forest": (
            RandomForestClassifier(n_estimators=200, class_weight="balanced",
                                   random_state=seed, n_jobs=1),
            {"model__max_depth": [10, None], "model__min_samples_leaf": [1, 5]},
        ),
        "lightgbm": (
            LGBMClassifier(n_estimators=200, learning_rate=0.05, class_weight="balanced",
                           random_state=seed, n_jobs=1, verbose=-1),
            {"model__num_leaves": [15, 31], "model__min_child_samples": [20, 50]},
        ),
    }
    return models


def make_pipeline(model):
    """Median imputation followed by the classifier (trees do not need scaling)."""
    return Pipeline([
        ("imputer", SimpleImputer(strategy="median")),
        ("model", model),
    ])


def train_models(X_train, y_train, model_names, cv_folds, seed):
    """Tune each model with GridSearchCV (macro F1) and return the fitted searches."""
    cv = StratifiedKFold(n_splits=cv_folds, shuffle=True, random_state=seed)
    results = {}
    for name, (model, grid) in get_models(seed).items():
        if name not in model_names:
            continue
        print(f"\nTraining {name} ...")
        search = GridSearchCV(make_pipeline(model), grid, scoring="f1_macro", cv=cv, n_jobs=1)
        search.fit(X_train, y_train)
        print(f"  best params: {search.best_params_}")
        print(f"  CV macro F1: {search.best_score_:.4f}")
        results[name] = search
    return results


def evaluate(model, X_test, y_test, name):
    """Print the classification report on the test set and return the macro F1."""
    y_pred = model.predict(X_test)
    f1 = f1_score(y_test, y_pred, average="macro")
    print(f"\n===== {name} on test set =====")
    print(classification_report(y_test, y_pred, digits=3))
    labels = sorted(y_test.unique())
    print(pd.DataFrame(confusion_matrix(y_test, y_pred, labels=labels), index=labels, columns=labels))
    print(f"Macro F1: {f1:.4f}")
    return f1
