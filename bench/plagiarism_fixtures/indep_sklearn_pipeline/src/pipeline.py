"""ColumnTransformer + Pipeline, tuned with GridSearchCV; configuration in config.yaml."""
import sqlite3
import sys
from pathlib import Path

import joblib
import pandas as pd
import yaml
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from features import CategoryCleaner, ExpressFlag, OrderTime, RangeGuard, WeightParser


def read(db_path):
    connection = sqlite3.connect(db_path)
    try:
        return pd.read_sql_query("SELECT * FROM deliveries", connection)
    finally:
        connection.close()


def preprocessor():
    return ColumnTransformer([
        ("weight", make_pipeline(WeightParser(), SimpleImputer(strategy="median"), StandardScaler()),
         ["parcel_weight"]),
        ("bounded", make_pipeline(RangeGuard(upper=300), SimpleImputer(strategy="median"), StandardScaler()),
         ["distance_km"]),
        ("traffic", make_pipeline(RangeGuard(upper=10), SimpleImputer(strategy="median"), StandardScaler()),
         ["traffic_index"]),
        ("plain", make_pipeline(RangeGuard(), SimpleImputer(strategy="median"), StandardScaler()),
         ["num_items", "driver_experience_yrs", "driver_rating"]),
        ("cats", make_pipeline(CategoryCleaner(), OneHotEncoder(handle_unknown="ignore")),
         ["region", "vehicle_type", "weather", "customer_tier"]),
        ("express", ExpressFlag(), ["express"]),
        ("time", OrderTime(), ["order_datetime"]),
    ])


def candidates(cfg):
    return {
        "logistic": (LogisticRegression(max_iter=3000, class_weight="balanced"),
                     {"model__C": cfg["logistic"]["C"]}),
        "forest": (RandomForestClassifier(random_state=cfg["seed"], class_weight="balanced"),
                   {"model__n_estimators": cfg["forest"]["n_estimators"],
                    "model__max_depth": cfg["forest"]["max_depth"]}),
    }


def main(config_path="config.yaml"):
    cfg = yaml.safe_load(Path(config_path).read_text())
    data = read(cfg["data"]["train"]).drop_duplicates(subset=None)
    X, y = data.drop(columns=["late", "delivery_id"]), data["late"].astype(int)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=cfg["test_size"], stratify=y,
                                              random_state=cfg["seed"])
    fitted = {}
    for name, (estimator, grid) in candidates(cfg).items():
        search = GridSearchCV(Pipeline([("prep", preprocessor()), ("model", estimator)]), grid,
                              scoring="f1", cv=cfg["cv"], n_jobs=1)
        search.fit(X_tr, y_tr)
        fitted[name] = search
        print(f"== {name}: cv f1 {search.best_score_:.3f} with {search.best_params_}")
        print(classification_report(y_te, search.predict(X_te), digits=3))
    best = max(fitted, key=lambda n: fitted[n].best_score_)
    final = fitted[best].best_estimator_.fit(X, y)
    Path("output").mkdir(exist_ok=True)
    joblib.dump(final, "output/model.joblib")
    holdout_db = Path(cfg["data"]["holdout"])
    if holdout_db.exists():
        hold = read(holdout_db)
        features = hold.drop(columns=["delivery_id"])
        pd.DataFrame({"delivery_id": hold["delivery_id"], "late": final.predict(features),
                      "late_proba": final.predict_proba(features)[:, 1]}).to_csv(cfg["data"]["predictions"],
                                                                                 index=False)


if __name__ == "__main__":
    main(*sys.argv[1:])
