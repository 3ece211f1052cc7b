"""Ingestion: read the bank_marketing table from SQLite and validate its schema."""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pandas as pd

logger = logging.getLogger(__name__)

FEATURE_COLUMNS = [
    "Age",
    "Occupation",
    "Marital Status",
    "Education Level",
    "Credit Default",
    "Housing Loan",
    "Personal Loan",
    "Contact Method",
    "Campaign Calls",
    "Previous Contact Days",
]


class DataValidationError(ValueError):
    """Raised when the input table cannot be used (missing file, empty table, missing columns)."""


def load_table(db_path: str | Path, table: str) -> pd.DataFrame:
    """Return the full ``table`` from the SQLite file at ``db_path``.

    The path is resolved relative to the current working directory (run.sh runs from the
    submission root, so ``data/bmarket.db`` is found there).
    """
    db_path = Path(db_path)
    if not db_path.is_file():
        raise DataValidationError(f"database not found: {db_path.resolve()}")
    with sqlite3.connect(db_path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if table not in tables:
            raise DataValidationError(f"table '{table}' not in {db_path} (found: {sorted(tables)})")
        df = pd.read_sql_query(f'SELECT * FROM "{table}"', conn)
    logger.info("loaded %d rows x %d columns from %s", len(df), df.shape[1], db_path)
    return df


def validate(df: pd.DataFrame, id_col: str, target_col: str | None = None) -> None:
    """Check that ``df`` is non-empty and carries every column the pipeline uses."""
    if df.empty:
        raise DataValidationError("input table is empty")
    expected = [id_col, *FEATURE_COLUMNS] + ([target_col] if target_col else [])
    missing = [c for c in expected if c not in df.columns]
    if missing:
        raise DataValidationError(f"missing column(s): {missing}")
    if target_col:
        n_na = df[target_col].isna().sum()
        if n_na:
            raise DataValidationError(f"{n_na} rows have no {target_col}")
        if df[target_col].nunique() < 2:
            raise DataValidationError(f"{target_col} has a single class; cannot train a classifier")
