"""Compare Gaussian naive Bayes and a linear SVM (calibrated) on the cleaned deliveries."""
import os
import sys

import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.metrics import classification_report, f1_score
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.preprocessing import MinMaxScaler
from sklearn.svm import LinearSVC

sys.path.insert(0, os.path.dirname(__file__))
from steps import CLEAN, NUMERIC, compose, fill_with, one_hot, read_config, read_db  # noqa: E402

CATEGORIES = ["region", "vehicle_type", "weather", "customer_tier"]


def features(raw, medians=None, reference=None):
    cleaned = CLEAN(raw)
    medians = medians if medians is not None else cleaned[NUMERIC].median().to_dict()
    prepared = compose(fill_with(medians), one_hot(CATEGORIES, reference))(cleaned)
    keep = [c for c in prepared.columns if c in NUMERIC or any(c.startswith(k + "_") for k in CATEGORIES)]
    return prepared[keep], medians


def build_models(cfg):
    return {
        "naive_bayes": GaussianNB(var_smoothing=cfg.get("nb_smoothing", 1e-9)),
        "linear_svm": CalibratedClassifierCV(LinearSVC(C=cfg.get("svm_c", 0.5), class_weight="balanced"), cv=3),
    }


def run(cfg):
    raw = read_db(cfg["train_db"])
    raw = raw.loc[~raw.drop(columns="delivery_id").duplicated()]
    X, medians = features(raw)
    y = raw["late"].astype(int)
    scaler = MinMaxScaler().fit(X)
    X_train, X_val, y_train, y_val = train_test_split(scaler.transform(X), y, test_size=cfg["val_share"],
                                                      random_state=cfg["seed"], stratify=y)
    scored = {}
    for name, model in build_models(cfg).items():
        model.fit(X_train, y_train)
        pred = model.predict(X_val)
        scored[name] = f1_score(y_val, pred)
        print(name)
        print(classification_report(y_val, pred, digits=3))
    best = max(scored, key=scored.get)
    print("best by F1:", best, round(scored[best], 3))
    model = build_models(cfg)[best].fit(scaler.transform(X), y)
    if os.path.exists(cfg["holdout_db"]):
        hold = read_db(cfg["holdout_db"])
        Xh, _ = features(hold, medians, list(X.columns))
        Xh = scaler.transform(Xh[X.columns])
        os.makedirs(os.path.dirname(cfg["predictions"]), exist_ok=True)
        pd.DataFrame({"delivery_id": hold["delivery_id"], "late": model.predict(Xh),
                      "late_proba": model.predict_proba(Xh)[:, 1]}).to_csv(cfg["predictions"], index=False)


if __name__ == "__main__":
    run(read_config(sys.argv[1] if len(sys.argv) > 1 else "config.json"))
