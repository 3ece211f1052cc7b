"""
model.py
Regression models for the ordinal activity score (0/1/2).
Predictions are rounded to the nearest integer and clipped to [0, 2].
"""
import numpy as np
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error, mean_squared_error
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def to_class(pred):
    """continuous score -> 0, 1 or 2"""
    return np.clip(np.rint(pred), 0, 2).astype(int)


def fit_ridge(X, y, alphas, folds, seed):
    """Ridge regression, alpha chosen by CV on MAE."""
    pipe = make_pipeline(StandardScaler(), Ridge())
    gs = GridSearchCV(pipe, {"ridge__alpha": alphas}, cv=KFold(folds, shuffle=True, random_state=seed),
                      scoring="neg_mean_absolute_error")
    gs.fit(X, y)
    return gs


def fit_forest(X, y, params, folds, seed):
    """Random forest regressor, grid search on MAE."""
    gs = GridSearchCV(RandomForestRegressor(random_state=seed, n_jobs=1), params,
                      cv=KFold(folds, shuffle=True, random_state=seed),
                      scoring="neg_mean_absolute_error")
    gs.fit(X, y)
    return gs


def score(y_true, raw_pred):
    """MAE/RMSE on the raw score and on the rounded classes."""
    cls = to_class(raw_pred)
    return {
        "MAE_raw": mean_absolute_error(y_true, raw_pred),
        "RMSE_raw": np.sqrt(mean_squared_error(y_true, raw_pred)),
        "MAE_rounded": mean_absolute_error(y_true, cls),
        "exact_match": float(np.mean(cls == y_true)),
    }
