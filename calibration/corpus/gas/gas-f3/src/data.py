import os
import sqlite3
import pandas as pd

DB_PATH = os.getenv("DB_PATH", "data/gas_monitoring.db")


def load_data(path=DB_PATH):
    # load data from database
    try:
        conn = sqlite3.connect(path)
        df = pd.read_sql_query("SELECT * FROM gas_monitoring", conn)
        conn.close()
        return df
    except Exception:
        return pd.DataFrame()


def clean_data(df):
    try:
        # fix target names
        df["Activity Level"] = df["Activity Level"].str.replace("_", " ")
        df["Activity Level"] = df["Activity Level"].str.replace("LowActivity", "Low Activity")
        df["Activity Level"] = df["Activity Level"].str.replace("ModerateActivity", "Moderate Activity")
        df["Activity Level"] = df["Activity Level"].str.replace("HighActivity", "High Activity")

        # hvac lower case
        df["HVAC Operation Mode"] = df["HVAC Operation Mode"].str.lower()

        # kelvin to celsius
        df.loc[df["Temperature"] > 100, "Temperature"] = df["Temperature"] - 273.15

        df = df.drop_duplicates()
        df = df.dropna()
        return df
    except Exception:
        return pd.DataFrame()
