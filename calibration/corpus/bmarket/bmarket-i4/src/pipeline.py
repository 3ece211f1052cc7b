# pipeline.py
# Main script: load -> clean -> split -> train 2 models -> evaluate -> predict holdout
# Settings are read from environment variables (see run.sh)

import os

import pandas as pd
from sklearn.model_selection import train_test_split

from data_prep import load_data, prepare, encode
from model import get_models, tune_model, find_best_threshold, evaluate

DB_PATH = os.getenv("DB_PATH", "data/bmarket.db")
HOLDOUT_PATH = os.getenv("HOLDOUT_PATH", "data/holdout.db")
OUTPUT_DIR = os.getenv("OUTPUT_DIR", "output")
TEST_SIZE = float(os.getenv("TEST_SIZE", "0.2"))
SEED = int(os.getenv("SEED", "42"))
CV_FOLDS = int(os.getenv("CV_FOLDS", "3"))
MODELS = os.getenv("MODELS", "logreg,xgboost").split(",")


def main():
    # 1. load + clean
    raw = load_data(DB_PATH)
    df, median_age = prepare(raw)
    y = (df["subscription_status"] == "yes").astype(int)
    X = encode(df)
    print(f"[INFO] features: {X.shape[1]}, positive rate: {y.mean():.3f}")

    # 2. split
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=TEST_SIZE, stratify=y, random_state=SEED)

    # 3. train and compare models
    pos_weight = (y_train == 0).sum() / (y_train == 1).sum()
    models = get_models(pos_weight, SEED)
    results = {}
    for name in MODELS:
        model, grid = models[name]
        best_model, cv_f1 = tune_model(name, model, grid, X_train, y_train, CV_FOLDS, SEED)
        proba = best_model.predict_proba(X_test)[:, 1]
        threshold, _ = find_best_threshold(y_test, proba)
        test_f1 = evaluate(name, y_test, proba, threshold)
        results[name] = {"model": best_model, "cv_f1": cv_f1, "test_f1": test_f1, "threshold": threshold}

    summary = pd.DataFrame({k: {"cv_f1": v["cv_f1"], "test_f1": v["test_f1"], "threshold": v["threshold"]}
                            for k, v in results.items()}).T
    print("\n===== summary =====")
    print(summary)
    best_name = max(results, key=lambda k: results[k]["test_f1"])
    best = results[best_name]
    print(f"\n[INFO] final model: {best_name} (test f1 {best['test_f1']:.4f}, threshold {best['threshold']})")

    # 4. predict holdout
    holdout_raw = load_data(HOLDOUT_PATH)
    holdout, _ = prepare(holdout_raw, median_age)
    X_hold = encode(holdout, columns=X.columns)
    proba_hold = best["model"].predict_proba(X_hold)[:, 1]
    preds = pd.DataFrame({
        "Client ID": holdout_raw["Client ID"],
        "Subscription Status": ["yes" if p >= best["threshold"] else "no" for p in proba_hold],
        "Subscription Status_proba": proba_hold,
    })
    os.makedirs(OUTPUT_DIR, exist_ok=True)
    preds.to_csv(os.path.join(OUTPUT_DIR, "predictions.csv"), index=False)
    print(f"[INFO] saved {len(preds)} predictions to {OUTPUT_DIR}/predictions.csv")


if __name__ == "__main__":
    main()
