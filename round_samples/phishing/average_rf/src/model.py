"""Model building, training with cross-validation and evaluation."""
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report, confusion_matrix, f1_score, roc_auc_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from data_prep import CATEGORICAL_COLS, FEATURE_NUMERIC


def make_preprocessor():
    """Median imputation + scaling for numbers, one-hot for the categories."""
    numeric = Pipeline([
        ("impute", SimpleImputer(strategy="median")),
        ("scale", StandardScaler()),
    ])
    categorical = Pipeline([
        ("impute", SimpleImputer(strategy="most_frequent")),
        ("onehot", OneHotEncoder(handle_unknown="ignore")),
    ])
    return ColumnTransformer([
        ("num", numeric, FEATURE_NUMERIC),
        ("cat", categorical, CATEGORICAL_COLS),
    ])


def get_models(cfg):
    """The two candidate models and their parameter grids."""
    return {
        "logistic_regression": (
            LogisticRegression(max_iter=1000),
            {"clf__C": cfg["lr_C"]},
        ),
        "random_forest": (
            RandomForestClassifier(random_state=cfg["random_state"], n_jobs=1),
            {"clf__n_estimators": cfg["rf_n_estimators"], "clf__max_depth": cfg["rf_max_depth"]},
        ),
    }


def train_models(X_train, y_train, cfg):
    """Grid search each model with stratified CV on the training set only."""
    cv = StratifiedKFold(n_splits=cfg["cv_folds"], shuffle=True, random_state=cfg["random_state"])
    results = {}
    for name, (clf, grid) in get_models(cfg).items():
        pipe = Pipeline([("prep", make_preprocessor()), ("clf", clf)])
        search = GridSearchCV(pipe, grid, cv=cv, scoring=cfg["selection_metric"], n_jobs=1)
        search.fit(X_train, y_train)
        print(f"{name}: best CV {cfg['selection_metric']} = {search.best_score_:.4f} with {search.best_params_}")
        results[name] = search
    return results


def evaluate(model, X_test, y_test):
    """Print the test set report for the chosen model."""
    pred = model.predict(X_test)
    proba = model.predict_proba(X_test)[:, 1]
    print(classification_report(y_test, pred, target_names=["phishing (0)", "legitimate (1)"], digits=4))
    print("Confusion matrix:\n", confusion_matrix(y_test, pred))
    f1 = f1_score(y_test, pred, pos_label=1)
    auc = roc_auc_score(y_test, proba)
    print(f"F1 (positive class 1 = legitimate): {f1:.4f}")
    print(f"ROC AUC: {auc:.4f}")
    return {"f1": f1, "roc_auc": auc}
