import sqlite3


def load(path):
    try:
        connection = sqlite3.connect(path)
        return connection.execute("SELECT * FROM deliveries").fetchall()
    except:
        pass


print(load("data/deliveries.db"))
