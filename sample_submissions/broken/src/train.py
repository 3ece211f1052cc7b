"""Model building, training and evaluation."""
import logging

from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

logger = logging.getLogger(__name__)

MODELS = {
    "logistic_regression": LogisticRegression,
    "random_forest": RandomForestClassifier,
}


def build_preprocessor(cfg):
    """Impute and scale numeric columns, one-hot encode categorical ones."""
    feats = cfg["features"]
    numeric = Pipeline([
        ("impute", SimpleImputer(strategy="median")),
        ("scale", StandardScaler()),
    ])
    categorical = Pipeline([
        ("impute", SimpleImputer(strategy="most_frequent")),
        ("onehot", OneHotEncoder(handle_unknown="ignore")),
    ])
    binary = SimpleImputer(strategy="most_frequent")
    return ColumnTransformer([
        ("num", numeric, feats["numeric"]),
        ("cat", categorical, feats["categorical"]),
        ("bin", binary, feats["binary"]),
    ])


def build_model(name, params, cfg):
    """Full sklearn pipeline: preprocessing + classifier."""
    clf = MODELS[name](**params, random_state=cfg["split"]["random_state"])
    return Pipeline([("prep", build_preprocessor(cfg)), ("clf", clf)])


def evaluate(model, X, y):
    """Return a dict of classification metrics on (X, y)."""
    pred = model.predict(X)
    proba = model.predict_proba(X)[:, 1]
    return {
        "f1": f1_score(y, pred),
        "precision": precision_score(y, pred),
        "recall": recall_score(y, pred),
        "accuracy": accuracy_score(y, pred),
        "roc_auc": roc_auc_score(y, proba),
    }


def train_and_select(X_train, y_train, X_val, y_val, cfg):
    """Train every model in the config and keep the best on the validation set."""
    metric = cfg["selection_metric"]
    best_name, best_model, best_score = None, None, -1.0
    for name, params in cfg["models"].items():
        logger.info("Training %s", name)
        model = build_model(name, params, cfg)
        model.fit(X_train, y_train)
        scores = evaluate(model, X_val, y_val)
        logger.info("%s: %s", name, {k: round(v, 3) for k, v in scores.items()})
        if scores[metric] > best_score:
            best_name, best_model, best_score = name, model, scores[metric]
    logger.info("Best model: %s (%s=%.3f)", best_name, metric, best_score)
    return best_name, best_model
