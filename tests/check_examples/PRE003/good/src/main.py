"""Clean the deliveries: placeholders and signs fixed per column, the target's missing rows dropped."""
import sqlite3

import pandas as pd

PLACEHOLDER_KM = [999.0, 5000.0, 9999.0]


def clean(df: pd.DataFrame) -> pd.DataFrame:
    """Placeholder distances become missing (imputed later), negative distances are sign slips."""
    df = df.dropna(subset=["late"])
    df["distance_km"] = df["distance_km"].where(~df["distance_km"].isin(PLACEHOLDER_KM)).abs()
    return df


if __name__ == "__main__":
    clean(pd.read_sql("SELECT * FROM deliveries", sqlite3.connect("data/deliveries.db")))
