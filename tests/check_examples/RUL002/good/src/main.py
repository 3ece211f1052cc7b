import sqlite3

import pandas as pd

with sqlite3.connect("data/deliveries.db") as connection:
    frame = pd.read_sql("SELECT * FROM deliveries", connection)
