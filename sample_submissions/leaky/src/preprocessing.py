"""Imputation, scaling, one-hot encoding and the train/test split."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import OneHotEncoder, StandardScaler

logger = logging.getLogger(__name__)


@dataclass
class FittedTransformers:
    """The fitted imputers, scaler and encoder, reused to transform new data the same way."""

    numeric_cols: list[str]
    categorical_cols: list[str]
    numeric_imputer: SimpleImputer
    scaler: StandardScaler
    categorical_imputer: SimpleImputer
    encoder: OneHotEncoder

    @property
    def feature_names(self) -> list[str]:
        """Names of the columns of the model matrix (numeric first, then one-hot)."""
        return self.numeric_cols + list(self.encoder.get_feature_names_out(self.categorical_cols))


@dataclass
class Datasets:
    """Model-ready matrices: the full labelled data and its train/test split."""

    X: pd.DataFrame
    y: pd.Series
    X_train: pd.DataFrame
    X_test: pd.DataFrame
    y_train: pd.Series
    y_test: pd.Series
    transformers: FittedTransformers


def prepare_datasets(df: pd.DataFrame, cfg: dict[str, Any]) -> Datasets:
    """Impute, scale and one-hot encode the cleaned data, then split it into train and test sets.

    The transformers are fitted once on the complete dataset, so the training and test matrices
    share exactly the same medians, scaling and one-hot columns, and the same fitted objects are
    reused for the holdout data.
    """
    numeric_cols = cfg["features"]["numeric"]
    categorical_cols = cfg["features"]["categorical"]
    target = cfg["data"]["target"]

    X_all = df[numeric_cols + categorical_cols]
    y = df[target].astype(int)

    # 1. missing numeric values -> median (the distributions are skewed, see the EDA)
    numeric_imputer = SimpleImputer(strategy="median")
    X_num = numeric_imputer.fit_transform(X_all[numeric_cols])

    # 2. standardise the numeric features: logistic regression is sensitive to their scale
    scaler = StandardScaler()
    X_num = scaler.fit_transform(X_num)

    # 3. missing categories (mostly weather) get their own level instead of the mode
    categorical_imputer = SimpleImputer(strategy="constant", fill_value="unknown")
    X_cat = categorical_imputer.fit_transform(X_all[categorical_cols].astype(object))

    # 4. one-hot encode the nominal columns; unseen categories in new data are ignored
    encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    encoder.fit(X_cat)
    X_cat = encoder.transform(X_cat)

    transformers = FittedTransformers(numeric_cols, categorical_cols, numeric_imputer, scaler,
                                      categorical_imputer, encoder)
    X = pd.DataFrame(np.hstack([X_num, X_cat]), columns=transformers.feature_names, index=df.index)

    # 5. stratified split so that train and test keep the 23% late rate
    X_train, X_test, y_train, y_test = train_test_split(
        X, y,
        test_size=cfg["split"]["test_size"],
        stratify=y,
        random_state=cfg["split"]["seed"],
    )
    logger.info("Model matrix: %d features; train %d rows, test %d rows",
                X.shape[1], len(X_train), len(X_test))
    return Datasets(X, y, X_train, X_test, y_train, y_test, transformers)


def transform_new(df: pd.DataFrame, transformers: FittedTransformers) -> pd.DataFrame:
    """Transform cleaned new data (e.g. the holdout) with the already fitted transformers."""
    X_num = transformers.scaler.transform(
        transformers.numeric_imputer.transform(df[transformers.numeric_cols]))
    X_cat = transformers.encoder.transform(
        transformers.categorical_imputer.transform(df[transformers.categorical_cols].astype(object)))
    return pd.DataFrame(np.hstack([X_num, X_cat]), columns=transformers.feature_names,
                        index=df.index)
