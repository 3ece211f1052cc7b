"""Model fitting and evaluation."""
import numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_squared_error, r2_score, accuracy_score, f1_score, confusion_matrix


def fit_ols(X, y):
    """Linear probability model: OLS of y on X."""
    model = LinearRegression()
    model.fit(X, y)
    return model


def fit_gbr(X, y, params, seed):
    """Gradient boosting regression (non-linear version of the same model)."""
    model = GradientBoostingRegressor(random_state=seed, **params)
    model.fit(X, y)
    return model


def evaluate(model, X, y, threshold=0.5):
    """RMSE and R2 of the fitted values, plus classification stats at the threshold."""
    y_hat = model.predict(X)
    rmse = np.sqrt(mean_squared_error(y, y_hat))
    r2 = r2_score(y, y_hat)
    pred = (y_hat >= threshold).astype(int)
    return {
        "RMSE": rmse,
        "R2": r2,
        "accuracy": accuracy_score(y, pred),
        "f1": f1_score(y, pred, zero_division=0),
        "confusion": confusion_matrix(y, pred),
    }


def print_results(name, res):
    print("-" * 50)
    print(name)
    print("  RMSE     = %.4f" % res["RMSE"])
    print("  R2       = %.4f" % res["R2"])
    print("  Accuracy = %.4f" % res["accuracy"])
    print("  F1 (yes) = %.4f" % res["f1"])
    print("  Confusion matrix:")
    print(res["confusion"])
