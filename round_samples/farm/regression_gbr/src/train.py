"""Model definitions, training and evaluation for the temperature regression."""
import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from preprocess import CATEGORICAL_FEATURES, NUMERIC_FEATURES


def build_preprocessor():
    """Median imputation and scaling for sensors, one-hot encoding for categories."""
    num = Pipeline([("imputer", SimpleImputer(strategy="median")), ("scaler", StandardScaler())])
    cat = Pipeline([
        ("imputer", SimpleImputer(strategy="constant", fill_value="Unknown")),
        ("onehot", OneHotEncoder(handle_unknown="ignore")),
    ])
    return ColumnTransformer([("num", num, NUMERIC_FEATURES), ("cat", cat, CATEGORICAL_FEATURES)])


def build_model(name, params, seed):
    """Create a full pipeline (preprocessing + regressor) from a config entry."""
    if name.startswith("linear"):
        reg = LinearRegression(**params)
    elif name.startswith("random_forest"):
        reg = RandomForestRegressor(random_state=seed, n_jobs=1, **params)
    elif name.startswith("gradient_boosting"):
        reg = GradientBoostingRegressor(random_state=seed, **params)
    else:
        raise ValueError(f"Unknown model {name}")
    return Pipeline([("prep", build_preprocessor()), ("model", reg)])


def regression_scores(y_true, y_pred):
    """RMSE, MAE and R2."""
    return {
        "RMSE": float(np.sqrt(mean_squared_error(y_true, y_pred))),
        "MAE": float(mean_absolute_error(y_true, y_pred)),
        "R2": float(r2_score(y_true, y_pred)),
    }
