"""Model definitions, cross-validation and grid search."""
import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.class_weight import compute_sample_weight
from xgboost import XGBClassifier

from src.preprocess import make_preprocessor


class XGBWrapper(XGBClassifier):
    """XGBoost with string labels and balanced sample weights (it needs 0..k-1 labels)."""

    def fit(self, X, y, **kw):
        self._le = LabelEncoder().fit(y)
        w = compute_sample_weight("balanced", y)
        return super().fit(X, self._le.transform(y), sample_weight=w, **kw)

    def predict(self, X):
        return self._le.inverse_transform(super().predict(X).astype(int))


def build(name, seed):
    """Return a full pipeline (preprocessing + model) for a model name."""
    if name == "logreg":
        model = LogisticRegression(max_iter=2000, class_weight="balanced", C=1.0)
    elif name == "rf":
        model = RandomForestClassifier(n_estimators=200, class_weight="balanced", random_state=seed, n_jobs=1)
    elif name == "xgb":
        model = XGBWrapper(n_estimators=300, max_depth=4, learning_rate=0.05, subsample=0.8,
                           colsample_bytree=0.8, random_state=seed, n_jobs=1, eval_metric="mlogloss")
    else:
        raise ValueError(f"unknown model {name}")
    return Pipeline([("prep", make_preprocessor()), ("model", model)])


RF_GRID = {
    "model__max_depth": [None, 12],
    "model__min_samples_leaf": [1, 4],
}


def cv_score(pipe, X, y, folds, seed):
    cv = StratifiedKFold(folds, shuffle=True, random_state=seed)
    s = cross_val_score(pipe, X, y, cv=cv, scoring="f1_macro")
    return s.mean(), s.std()


def tune_rf(X, y, seed):
    """Grid search over the random forest (the strongest model in the first runs)."""
    cv = StratifiedKFold(3, shuffle=True, random_state=seed)  # 3 folds, 5 is slow here
    gs = GridSearchCV(build("rf", seed), RF_GRID, cv=cv, scoring="f1_macro", n_jobs=1)
    gs.fit(X, y)
    print(f"  rf grid best {gs.best_score_:.4f} {gs.best_params_}")
    return gs.best_estimator_, gs.best_score_
