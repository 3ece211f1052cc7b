"""Clean the deliveries: drop incomplete rows, then cap every numeric column with the IQR rule."""
import sqlite3

import pandas as pd

NUMERIC = ["distance_km", "traffic_index", "driver_experience_yrs"]


def clean(df: pd.DataFrame) -> pd.DataFrame:
    """Drop missing rows and clip the outliers."""
    df = df.dropna()
    for col in NUMERIC:
        q1 = df[col].quantile(0.25)
        q3 = df[col].quantile(0.75)
        iqr = q3 - q1
        df[col] = df[col].clip(q1 - 1.5 * iqr, q3 + 1.5 * iqr)
    return df


if __name__ == "__main__":
    clean(pd.read_sql("SELECT * FROM deliveries", sqlite3.connect("data/deliveries.db")))
