"""Model definitions, training with grid search and evaluation."""
import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (balanced_accuracy_score, classification_report,
                             confusion_matrix, f1_score)
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from xgboost import XGBClassifier


def get_model(name, seed):
    """Return an untrained model by name."""
    if name == "logistic_regression":
        # scaling needed for LR, class_weight because High Activity is only ~11%
        return make_pipeline(StandardScaler(),
                             LogisticRegression(max_iter=3000, class_weight="balanced"))
    if name == "random_forest":
        return RandomForestClassifier(class_weight="balanced", random_state=seed, n_jobs=1)
    if name == "xgboost":
        return XGBClassifier(eval_metric="mlogloss", random_state=seed, n_jobs=1, tree_method="hist")
    raise ValueError(f"unknown model: {name}")


def train_models(X_train, y_train, config):
    """Train every model in config['models'].

    Models with a grid in config['param_grids'] are tuned with GridSearchCV (macro F1),
    the others are only cross validated with default settings.
    Returns dict name -> (fitted model, mean cv macro F1).
    """
    cv = StratifiedKFold(n_splits=config["cv_folds"], shuffle=True, random_state=config["seed"])
    results = {}
    for name in config["models"]:
        model = get_model(name, config["seed"])
        grid = config["param_grids"].get(name, {})
        # empty grid -> GridSearchCV just does plain CV on the default model
        search = GridSearchCV(model, {k: v for k, v in grid.items()} if grid else {},
                              scoring="f1_macro", cv=cv, n_jobs=1)
        if name == "xgboost":
            # xgboost has no class_weight, use sample weights instead
            weights = balanced_weights(y_train)
            search.fit(X_train, y_train, sample_weight=weights)
        else:
            search.fit(X_train, y_train)
        print(f"  {name:20s} cv macro F1 = {search.best_score_:.4f}  best params = {search.best_params_}")
        results[name] = (search.best_estimator_, search.best_score_)
    return results


def balanced_weights(y):
    """Weight each sample by n_samples / (n_classes * class_count)."""
    classes, counts = np.unique(y, return_counts=True)
    w = {c: len(y) / (len(classes) * n) for c, n in zip(classes, counts)}
    return np.array([w[v] for v in y])


def evaluate(model, X_test, y_test, class_names):
    """Print macro F1, balanced accuracy, per class report and confusion matrix."""
    pred = model.predict(X_test)
    macro_f1 = f1_score(y_test, pred, average="macro")
    bal_acc = balanced_accuracy_score(y_test, pred)
    print(f"macro F1          : {macro_f1:.4f}")
    print(f"balanced accuracy : {bal_acc:.4f}")
    print(classification_report(y_test, pred, target_names=class_names, digits=3))
    print("confusion matrix (rows = true, cols = predicted):")
    print(confusion_matrix(y_test, pred))
    return {"macro_f1": macro_f1, "balanced_accuracy": bal_acc}
