import sqlite3
from pathlib import Path

import pandas as pd

train = pd.read_sql("SELECT * FROM deliveries", sqlite3.connect("data/deliveries.db"))
heldout = pd.read_csv("data/heldout.csv")
# the most common delay class for every delivery
Path("output").mkdir(exist_ok=True)
heldout.assign(delay=train["delay"].mode()[0])[["delivery_id", "delay"]].to_csv("output/predictions.csv", index=False)
