"""
Models. The target `late` is 0/1, so a regressor trained on it predicts
something like the chance of being late. We compare a linear model with a
random forest and keep the one with lowest RMSE.
"""
import numpy as np
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error, mean_absolute_error, r2_score
from sklearn.model_selection import KFold, cross_val_score


def rmse(y, pred):
    return float(np.sqrt(mean_squared_error(y, pred)))


def regression_scores(y, pred):
    """RMSE, MAE and R^2 in a dict"""
    return {"rmse": rmse(y, pred),
            "mae": float(mean_absolute_error(y, pred)),
            "r2": float(r2_score(y, pred))}


def cv_rmse(model, X, y, folds, seed):
    """mean and std of the RMSE over k folds"""
    kf = KFold(n_splits=folds, shuffle=True, random_state=seed)
    s = -cross_val_score(model, X, y, cv=kf, scoring="neg_root_mean_squared_error")
    return s.mean(), s.std()


def build_candidates(cfg, seed):
    """Create the models listed in the config. For the random forest every
    max_depth in the grid is a separate candidate."""
    cands = {}
    mcfg = cfg["models"]
    if mcfg.get("linear", {}).get("enabled", False):
        cands["linear"] = LinearRegression()
    rf = mcfg.get("random_forest", {})
    if rf.get("enabled", False):
        for d in rf["max_depth_grid"]:
            cands["rf_depth%d" % d] = RandomForestRegressor(
                n_estimators=rf["n_estimators"], max_depth=d,
                min_samples_leaf=rf["min_samples_leaf"], random_state=seed, n_jobs=1)
    return cands
