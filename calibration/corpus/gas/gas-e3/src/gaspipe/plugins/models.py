"""Model plugins. Signature: fn(params: dict) -> sklearn-compatible estimator"""
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from xgboost import XGBClassifier

from ..registry import MODELS


@MODELS.register("logreg")
def logreg(params):
    return make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression(**params))


@MODELS.register("random_forest")
def random_forest(params):
    return make_pipeline(SimpleImputer(strategy="median"), RandomForestClassifier(n_jobs=1, random_state=0, **params))


@MODELS.register("xgboost")
def xgboost(params):
    # xgboost handles NaN natively
    return XGBClassifier(n_jobs=1, random_state=0, eval_metric="mlogloss", **params)
