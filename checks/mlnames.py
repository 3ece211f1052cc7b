"""Names of the ML library calls the checks look for: estimators and cross-validation."""

from __future__ import annotations

import re

ESTIMATOR = re.compile(r"^(\w+(Classifier|Regressor|Regression|Classification)|SVC|SVR|LinearSVC|GaussianNB|"
                       r"BernoulliNB|MultinomialNB|XGB\w+|LGBM\w+|CatBoost\w+)$")
CV_CALLS = {"cross_val_score", "cross_validate", "GridSearchCV", "RandomizedSearchCV", "StratifiedKFold", "KFold",
            "HalvingGridSearchCV", "RepeatedStratifiedKFold", "cross_val_predict", "TimeSeriesSplit"}
