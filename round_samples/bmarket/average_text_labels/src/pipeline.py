"""End-to-end pipeline to predict term deposit subscription.

Steps: load data from sqlite -> clean -> impute -> features -> split ->
train logistic regression and random forest -> evaluate -> pick best ->
predict on holdout (if data/holdout.db exists).
"""
import os
import sqlite3
import sys

import joblib
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    classification_report,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import config


def load_data(db_path, table=config.TABLE_NAME):
    """Read the table from the sqlite database into a dataframe."""
    if not os.path.exists(db_path):
        raise FileNotFoundError(f"Database not found at {db_path}, please put it in data/")
    conn = sqlite3.connect(db_path)
    df = pd.read_sql_query(f"SELECT * FROM {table}", conn)
    conn.close()
    print(f"Loaded {len(df)} rows from {db_path}")
    return df


def clean_data(df):
    """Fix the data problems found in the EDA (age text, 150 years, contact spellings, NULLs)."""
    df = df.copy()

    # Age is stored like "57 years" -> take the number
    df["Age"] = pd.to_numeric(df["Age"].astype(str).str.replace(" years", "", regex=False), errors="coerce")
    # 150 years is not a real age (about 10% of rows), set to missing
    df.loc[df["Age"] > 100, "Age"] = np.nan

    # Contact Method has Cell/cellular and Telephone/telephone
    df["Contact Method"] = df["Contact Method"].str.lower().replace({"cell": "cellular"})

    # NULLs in the loan columns -> treat like the existing "unknown" value
    for col in ["Housing Loan", "Personal Loan"]:
        df[col] = df[col].fillna("unknown")

    # keep "unknown" as its own category in all categorical columns
    for col in ["Occupation", "Marital Status", "Education Level", "Credit Default"]:
        df[col] = df[col].fillna("unknown")

    if config.TARGET in df.columns:
        df[config.TARGET] = df[config.TARGET].str.strip().str.lower()

    return df


def impute_age(df, age_median=None):
    """Fill missing age with the median. If no median is given it is computed from df."""
    df = df.copy()
    if age_median is None:
        age_median = df["Age"].median()
    df["Age"] = df["Age"].fillna(age_median)
    return df, age_median


def add_features(df):
    """Create extra features: age group and a flag for having any loan."""
    df = df.copy()
    # from the EDA, young (<30) and old (60+) clients subscribe more often
    df["Age Group"] = pd.cut(
        df["Age"],
        bins=[0, 30, 40, 50, 60, 120],
        labels=["<30", "30-39", "40-49", "50-59", "60+"],
        right=False,
    ).astype(str)
    df["Has Loan"] = ((df["Housing Loan"] == "yes") | (df["Personal Loan"] == "yes")).astype(int)
    return df


def build_preprocessor():
    """Scale numerical columns and one-hot encode categorical columns."""
    num_cols = config.NUM_COLS + ["Has Loan"]
    preprocessor = ColumnTransformer(
        transformers=[
            ("num", StandardScaler(), num_cols),
            ("cat", OneHotEncoder(handle_unknown="ignore"), config.CAT_COLS),
        ]
    )
    return preprocessor


def get_models():
    """Return the models to compare."""
    models = {
        "Logistic Regression": LogisticRegression(
            random_state=config.RANDOM_STATE, **config.LOGREG_PARAMS
        ),
        "Random Forest": RandomForestClassifier(
            random_state=config.RANDOM_STATE, **config.RF_PARAMS
        ),
    }
    return models


def evaluate(model, X_test, y_test):
    """Compute the metrics of a fitted model on the test set."""
    y_pred = model.predict(X_test)
    y_proba = model.predict_proba(X_test)[:, 1]
    results = {
        "accuracy": accuracy_score(y_test, y_pred),
        "precision": precision_score(y_test, y_pred),
        "recall": recall_score(y_test, y_pred),
        "f1": f1_score(y_test, y_pred),
        "roc_auc": roc_auc_score(y_test, y_proba),
    }
    return results, y_pred


def train_and_compare(X_train, X_test, y_train, y_test):
    """Train every model, print its metrics and return the best one by F1."""
    all_results = {}
    fitted = {}
    for name, model in get_models().items():
        pipe = Pipeline([("prep", build_preprocessor()), ("model", model)])
        pipe.fit(X_train, y_train)
        results, y_pred = evaluate(pipe, X_test, y_test)
        all_results[name] = results
        fitted[name] = pipe

        print("=" * 60)
        print(name)
        print(classification_report(y_test, y_pred, target_names=["no", "yes"]))
        print("Confusion matrix:")
        print(confusion_matrix(y_test, y_pred))
        print(f"ROC AUC: {results['roc_auc']:.4f}")
        print(f"F1 (yes): {results['f1']:.4f}")

    summary = pd.DataFrame(all_results).T
    print("=" * 60)
    print("Model comparison on test set:")
    print(summary.round(4))

    best_name = summary[config.SELECTION_METRIC].idxmax()
    print(f"\nBest model: {best_name} ({config.SELECTION_METRIC} = {summary.loc[best_name, config.SELECTION_METRIC]:.4f})")
    return best_name, fitted[best_name]


def predict_holdout(model, age_median):
    """Predict the holdout data (if it exists) and write output/predictions.csv."""
    if not os.path.exists(config.HOLDOUT_PATH):
        print("No holdout file found, skipping predictions")
        return
    holdout = load_data(config.HOLDOUT_PATH)
    holdout = clean_data(holdout)
    holdout, _ = impute_age(holdout, age_median)
    holdout = add_features(holdout)

    features = config.NUM_COLS + ["Has Loan"] + config.CAT_COLS
    proba = model.predict_proba(holdout[features])[:, 1]
    pred = np.where(proba >= 0.5, "yes", "no")

    out = pd.DataFrame({
        config.ID_COL: holdout[config.ID_COL],
        "Subscription Status": pred,
        "Subscription Status_proba": proba.round(4),
    })
    os.makedirs(config.OUTPUT_DIR, exist_ok=True)
    out_path = os.path.join(config.OUTPUT_DIR, "predictions.csv")
    out.to_csv(out_path, index=False)
    print(f"Saved {len(out)} predictions to {out_path}")


def main():
    df = load_data(config.DB_PATH)
    df = clean_data(df)
    df, age_median = impute_age(df)
    df = add_features(df)

    features = config.NUM_COLS + ["Has Loan"] + config.CAT_COLS
    X = df[features]
    y = (df[config.TARGET] == "yes").astype(int)
    print(f"Subscription rate: {y.mean():.3f}")

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=config.TEST_SIZE, stratify=y, random_state=config.RANDOM_STATE
    )
    print(f"Train: {X_train.shape}, Test: {X_test.shape}")

    best_name, best_model = train_and_compare(X_train, X_test, y_train, y_test)

    os.makedirs(config.OUTPUT_DIR, exist_ok=True)
    joblib.dump(best_model, os.path.join(config.OUTPUT_DIR, "model.joblib"))

    predict_holdout(best_model, age_median)


if __name__ == "__main__":
    try:
        main()
    except FileNotFoundError as e:
        print(f"Error: {e}")
        sys.exit(1)
