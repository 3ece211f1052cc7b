"""
Data preprocessing module.

This module contains functions for cleaning the data, encoding categorical
variables and splitting the data into training and testing sets.
"""
from typing import List, Tuple

import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder, StandardScaler


def clean_data(df: pd.DataFrame) -> pd.DataFrame:
    """
    Clean the data by removing duplicates and missing values.

    Args:
        df (pd.DataFrame): Raw input data.

    Returns:
        pd.DataFrame: Cleaned data.
    """
    df = df.drop_duplicates()
    df = df.dropna()
    return df


def encode_categorical(df: pd.DataFrame, columns: List[str]) -> pd.DataFrame:
    """
    Encode categorical columns using label encoding.

    Args:
        df (pd.DataFrame): Input data.
        columns (List[str]): Columns to encode.

    Returns:
        pd.DataFrame: Data with encoded columns.
    """
    df = df.copy()
    for col in columns:
        le = LabelEncoder()
        df[col] = le.fit_transform(df[col].astype(str))
    return df


def scale_features(X_train: pd.DataFrame, X_test: pd.DataFrame) -> Tuple[pd.DataFrame, pd.DataFrame]:
    """
    Standardise numerical features.

    Args:
        X_train (pd.DataFrame): Training features.
        X_test (pd.DataFrame): Testing features.

    Returns:
        Tuple[pd.DataFrame, pd.DataFrame]: Scaled training and testing features.
    """
    scaler = StandardScaler()
    X_train_scaled = pd.DataFrame(scaler.fit_transform(X_train), columns=X_train.columns, index=X_train.index)
    X_test_scaled = pd.DataFrame(scaler.transform(X_test), columns=X_test.columns, index=X_test.index)
    return X_train_scaled, X_test_scaled


def split_data(
    df: pd.DataFrame, target: str, test_size: float = 0.2, random_state: int = 42
) -> Tuple[pd.DataFrame, pd.DataFrame, pd.Series, pd.Series]:
    """
    Split the data into training and testing sets.

    Args:
        df (pd.DataFrame): Input data.
        target (str): Name of the target column.
        test_size (float): Proportion of the data used for testing.
        random_state (int): Random seed for reproducibility.

    Returns:
        Tuple: X_train, X_test, y_train, y_test
    """
    X = df.drop(columns=[target])
    y = df[target]
    return train_test_split(X, y, test_size=test_size, random_state=random_state)
