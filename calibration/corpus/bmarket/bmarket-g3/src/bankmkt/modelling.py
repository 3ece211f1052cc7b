"""Model definitions: the LightGBM model and the logistic-regression reference."""
import numpy as np
from lightgbm import LGBMClassifier
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from .features import CATEGORICAL, CategoryAligner


def make_gbm(seed: int, columns: list[str]) -> Pipeline:
    """Gradient-boosted trees on native categoricals; missing values handled by the splits."""
    model = LGBMClassifier(objective="binary", random_state=seed, n_jobs=1, verbose=-1,
                           subsample_freq=1)
    return Pipeline([("categories", CategoryAligner([c for c in CATEGORICAL if c in columns])),
                     ("model", model)])


def make_logistic(seed: int, columns: list[str], C: float) -> Pipeline:
    """Linear reference: median-impute + scale numerics, one-hot categoricals."""
    categorical = [c for c in CATEGORICAL if c in columns]
    numeric = [c for c in columns if c not in categorical]
    prep = ColumnTransformer([
        ("num", Pipeline([("impute", SimpleImputer(strategy="median", add_indicator=True)),
                          ("scale", StandardScaler())]), numeric),
        ("cat", OneHotEncoder(handle_unknown="ignore"), categorical),
    ])
    return Pipeline([("prep", prep),
                     ("model", LogisticRegression(C=C, max_iter=2000, random_state=seed))])
