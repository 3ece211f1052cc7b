"""A pack's reference pipeline: the yardstick candidates' scores are compared with, for any round's table.

It does what a careful candidate does without knowing the domain: drops duplicate rows and the id /
group columns, reads numbers out of unit strings (`57 years`, `150 ppm`), splits date-times into hour,
weekday and month, folds category spellings (case, spaces, `unknown` tokens), one-hot encodes the
categories and fits gradient boosting; for a binary round it picks the decision threshold on a
validation split. It runs on the host against pack data only, never on a submission.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.impute import SimpleImputer
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder
from threadpoolctl import threadpool_limits

NUMBER = re.compile(r"^\s*([-+]?\d*\.?\d+(?:[eE][-+]?\d+)?)\s*[^\d\s]{0,12}\s*$")
MISSING_TOKENS = {"", "nan", "none", "null", "na", "n/a", "unknown", "?", "-"}
NUMERIC_SHARE = 0.9
MAX_CATEGORIES = 60


@dataclass(frozen=True)
class ReferenceResult:
    """Predictions for the test rows: labels (classes as text, or numbers) and the positive class's probability."""

    predicted: np.ndarray
    proba: np.ndarray | None


def _as_number(column: pd.Series) -> pd.Series | None:
    """The column as numbers when nearly every value is a number, perhaps with a unit (`57 years`)."""
    if pd.api.types.is_numeric_dtype(column):
        return column.astype(float)
    text = column.dropna().astype(str)
    if text.empty:
        return None
    found = text.str.extract(NUMBER, expand=False)
    if found.notna().mean() < NUMERIC_SHARE:
        return None
    return pd.to_numeric(column.astype(str).str.extract(NUMBER, expand=False), errors="coerce")


def _as_datetime(column: pd.Series) -> pd.DataFrame | None:
    text = column.dropna().astype(str)
    if text.empty or not text.head(50).str.contains(r"\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}").all():
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        when = pd.to_datetime(column, errors="coerce", format="mixed")
    if when.notna().mean() < NUMERIC_SHARE:
        return None
    name = str(column.name)
    return pd.DataFrame({f"{name}__hour": when.dt.hour, f"{name}__weekday": when.dt.day_of_week,
                         f"{name}__month": when.dt.month}, index=column.index).astype(float)


def _as_category(column: pd.Series) -> pd.Series:
    folded = column.astype(str).str.strip().str.casefold().str.replace(r"[\s_\-]+", " ", regex=True)
    return folded.where(column.notna() & ~folded.isin(MISSING_TOKENS), np.nan).astype(object)


def feature_frame(frame: pd.DataFrame, drop: set[str]) -> pd.DataFrame:
    """Numbers, date parts and folded categories of every column not in `drop`."""
    parts = []
    for name in frame.columns:
        if name in drop:
            continue
        column = frame[name]
        number = _as_number(column)
        if number is not None:
            parts.append(number.rename(name).to_frame())
            continue
        dates = _as_datetime(column)
        if dates is not None:
            parts.append(dates)
        elif column.nunique(dropna=True) <= MAX_CATEGORIES:
            parts.append(_as_category(column).rename(name).to_frame())
    return pd.concat(parts, axis=1) if parts else pd.DataFrame(index=frame.index)


def _model(features: pd.DataFrame, task: str, seed: int) -> Pipeline:
    categorical = [c for c in features.columns if features[c].dtype == object]
    numeric = [c for c in features.columns if c not in categorical]
    encode = Pipeline([("impute", SimpleImputer(strategy="constant", fill_value="(missing)")),
                       ("onehot", OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=10,
                                                sparse_output=False))])
    pre = ColumnTransformer([("num", "passthrough", numeric), ("cat", encode, categorical)])
    if task == "regression":
        model = HistGradientBoostingRegressor(max_iter=300, learning_rate=0.05, random_state=seed)
    else:
        model = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, random_state=seed,
                                               class_weight="balanced" if task == "multiclass" else None)
    return Pipeline([("pre", pre), ("model", model)])


def _threshold(x: pd.DataFrame, y: np.ndarray, seed: int) -> float:
    """The probability threshold that maximises the positive class's F1 on a validation split."""
    x_fit, x_val, y_fit, y_val = train_test_split(x, y, test_size=0.2, stratify=y, random_state=seed)
    proba = _model(x, "binary", seed).fit(x_fit, y_fit).predict_proba(x_val)[:, 1]
    return float(max(np.linspace(0.05, 0.8, 76), key=lambda t: f1_score(y_val, (proba >= t).astype(int))))


def fit_predict(train: pd.DataFrame, labels: pd.Series, test: pd.DataFrame, task: str, positive: str | None,
                drop: set[str], seed: int = 0) -> ReferenceResult:
    """Train on the labelled, de-duplicated training rows and predict the test rows.

    One thread: the same scores on any machine (and no OpenMP contention on a busy one)."""
    with threadpool_limits(limits=1):
        return _fit_predict(train, labels, test, task, positive, drop, seed)


def _fit_predict(train: pd.DataFrame, labels: pd.Series, test: pd.DataFrame, task: str, positive: str | None,
                 drop: set[str], seed: int) -> ReferenceResult:
    keep = labels.notna().to_numpy()
    columns = [c for c in train.columns if c not in drop]
    rows = train.loc[keep, columns].assign(__label__=labels[keep].to_numpy()).drop_duplicates()
    y_raw = rows.pop("__label__")
    both = feature_frame(pd.concat([rows, test.reindex(columns=columns)], keys=["train", "test"]), set())
    x_train, x_test = both.loc["train"], both.loc["test"]
    if task == "regression":
        return ReferenceResult(_model(x_train, task, seed).fit(x_train, y_raw.astype(float)).predict(x_test), None)
    if task == "binary":
        y = (y_raw.astype(str) == positive).astype(int).to_numpy()
        cut = _threshold(x_train, y, seed)
        proba = _model(x_train, task, seed).fit(x_train, y).predict_proba(x_test)[:, 1]
        negative = next(c for c in y_raw.astype(str).unique() if c != positive)
        return ReferenceResult(np.where(proba >= cut, positive, negative), proba)
    model = _model(x_train, task, seed).fit(x_train, y_raw.astype(str))
    return ReferenceResult(model.predict(x_test), None)
