"""Model zoo + search spaces. Everything is an imblearn Pipeline so SMOTE only sees
the training folds (never the validation fold)."""
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline as ImbPipeline
from lightgbm import LGBMClassifier
from scipy.stats import loguniform, randint, uniform
from sklearn.linear_model import LogisticRegression
from xgboost import XGBClassifier

from .features import make_preprocessor


def _estimator(name, seed):
    if name == "logreg":
        return LogisticRegression(max_iter=2000, solver="liblinear", random_state=seed)
    if name == "lightgbm":
        return LGBMClassifier(random_state=seed, n_jobs=1, verbose=-1, max_bin=63)
    if name == "xgboost":
        return XGBClassifier(random_state=seed, n_jobs=1, tree_method="hist", max_bin=64,
                             eval_metric="aucpr")
    raise KeyError(f"unknown model {name}")


SEARCH_SPACES = {
    "logreg": {
        "clf__C": loguniform(1e-3, 1e1),
        "clf__l1_ratio": [0.0, 1.0],  # ridge vs lasso
        "clf__class_weight": [None, "balanced"],
    },
    "lightgbm": {
        "clf__n_estimators": randint(50, 300),
        "clf__learning_rate": loguniform(0.02, 0.3),
        "clf__num_leaves": randint(8, 48),
        "clf__min_child_samples": randint(10, 200),
        "clf__subsample": uniform(0.6, 0.4),
        "clf__subsample_freq": [1],
        "clf__colsample_bytree": uniform(0.5, 0.5),
        "clf__reg_lambda": loguniform(1e-3, 10),
        "clf__reg_alpha": loguniform(1e-3, 10),
    },
    "xgboost": {
        "clf__n_estimators": randint(50, 250),
        "clf__learning_rate": loguniform(0.02, 0.3),
        "clf__max_depth": randint(2, 6),
        "clf__min_child_weight": loguniform(0.5, 20),
        "clf__subsample": uniform(0.6, 0.4),
        "clf__colsample_bytree": uniform(0.5, 0.5),
        "clf__gamma": loguniform(1e-3, 5),
        "clf__reg_lambda": loguniform(1e-2, 10),
    },
}


def build_pipeline(name, cfg, engineered=None):
    if engineered is None:
        engineered = cfg["features"]["engineered"]
    seed = cfg["seed"]
    steps = make_preprocessor(engineered, cfg["features"], scale=(name == "logreg"))
    res = cfg["resampling"]
    if res["smote"]:
        steps.append(("smote", SMOTE(sampling_strategy=res["sampling_strategy"],
                                     k_neighbors=res["k_neighbors"], random_state=seed)))
    steps.append(("clf", _estimator(name, seed)))
    return ImbPipeline(steps)
