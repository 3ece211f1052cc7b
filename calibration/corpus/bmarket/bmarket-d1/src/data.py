"""Reading the sqlite tables."""
import logging
import sqlite3
from pathlib import Path

import pandas as pd

log = logging.getLogger(__name__)

EXPECTED_COLS = [
    "Client ID", "Age", "Occupation", "Marital Status", "Education Level",
    "Credit Default", "Housing Loan", "Personal Loan", "Contact Method",
    "Campaign Calls", "Previous Contact Days",
]


def load_table(db_path, table, require_target=None):
    """Read one table from a sqlite db into a DataFrame and sanity check it."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise FileNotFoundError(f"database not found: {db_path}")
    with sqlite3.connect(db_path) as con:
        try:
            df = pd.read_sql_query(f'SELECT * FROM "{table}"', con)
        except pd.errors.DatabaseError as e:
            raise ValueError(f"could not read table {table} from {db_path}: {e}") from e
    if df.empty:
        raise ValueError(f"table {table} in {db_path} is empty")
    missing = [c for c in EXPECTED_COLS if c not in df.columns]
    if require_target:
        missing += [require_target] if require_target not in df.columns else []
    if missing:
        raise ValueError(f"missing columns in {db_path}: {missing}")
    log.info("loaded %s rows x %s cols from %s", len(df), df.shape[1], db_path)
    return df
