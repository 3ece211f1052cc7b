"""Load the deliveries and report how many arrived late."""

import sqlite3

DB_PATH = "data/deliveries.db"


def late_share(path: str) -> float:
    """Share of deliveries that arrived late, read from the SQLite database."""
    with sqlite3.connect(path) as connection:
        late, total = connection.execute("SELECT SUM(late), COUNT(*) FROM deliveries").fetchone()
    return late / total if total else 0.0


def main() -> None:
    """Print the share of late deliveries."""
    print(f"late share: {late_share(DB_PATH):.3f}")


if __name__ == "__main__":
    main()
