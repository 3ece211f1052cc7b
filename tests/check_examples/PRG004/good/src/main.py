import sqlite3


def load(path):
    try:
        connection = sqlite3.connect(path)
        rows = connection.execute("SELECT * FROM deliveries").fetchall()
    except sqlite3.OperationalError as exc:
        raise SystemExit(f"cannot read {path}: {exc}") from exc
    if not rows:
        raise ValueError("table is empty")
    return rows


print(load("data/deliveries.db"))
