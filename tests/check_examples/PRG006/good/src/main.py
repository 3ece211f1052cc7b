"""Train on the deliveries, then predict the hold-out rows."""
import sqlite3

import pandas as pd
from sklearn.linear_model import LogisticRegression


def clean(df: pd.DataFrame) -> pd.DataFrame:
    """Parse the weight and normalise the region spelling."""
    df["parcel_weight"] = df["parcel_weight"].str.replace("kg", "").astype(float)
    df["region"] = df["region"].str.strip().str.lower()
    return df


def predict_holdout(model, hold: pd.DataFrame) -> pd.Series:
    """The hold-out rows go through the training code's own cleaning."""
    hold = clean(hold)
    return model.predict(hold[["parcel_weight"]])


def main() -> None:
    df = clean(pd.read_sql("SELECT * FROM deliveries", sqlite3.connect("data/deliveries.db")))
    model = LogisticRegression().fit(df[["parcel_weight"]], df["late"])
    hold = pd.read_sql("SELECT * FROM deliveries", sqlite3.connect("data/holdout.db"))
    predict_holdout(model, hold).to_frame("late").to_csv("output/predictions.csv")


if __name__ == "__main__":
    main()
