"""A round's data file as staff hand it to `grader pack new`: a SQLite database (or a CSV) and one table.

Every problem is a PackError naming the file and what is wrong. Table and column names are quoted
everywhere: spaces, dots and quotes in them are normal in real rounds.
"""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from grader.packs.pack import PackError

SQLITE_MAGIC = b"SQLite format 3\x00"
ROWID = "__pack_rowid__"


def quote(name: str) -> str:
    """An SQL identifier, quoted so any table or column name works."""
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class SourceTable:
    """The round's table: where it is, how it was declared, and its columns in order."""

    origin: Path  # the file staff gave
    db: Path  # a SQLite file holding the table (the origin itself, or the CSV converted)
    table: str
    create_sql: str
    columns: tuple[tuple[str, str], ...]  # (name, declared type)
    rows: int
    from_csv: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    def read(self, columns: list[str] | None = None) -> pd.DataFrame:
        """The table's rows (all columns or some) with their SQLite rowid, values exactly as stored."""
        wanted = ", ".join(quote(c) for c in columns) if columns else "*"
        with _connect(self.db) as conn:
            return pd.read_sql_query(f"SELECT rowid AS {ROWID}, {wanted} FROM {quote(self.table)}", conn)


def _connect(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


def open_source(path: Path, table: str | None, work: Path) -> SourceTable:
    """Open the round's file; a CSV is converted into a SQLite table under `work`."""
    path = Path(path)
    if not path.is_file():
        raise PackError(f"{path}: no such file")
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        return _sqlite_table(path, path, table)
    if path.suffix.lower() in (".csv", ".txt"):
        return _csv_table(path, table, work)
    raise PackError(f"{path}: not a SQLite database (no SQLite header) and not a .csv file")


def _tables(path: Path) -> dict[str, str]:
    try:
        with _connect(path) as conn:
            rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                                "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()
    except sqlite3.DatabaseError as exc:
        raise PackError(f"{path}: not a readable SQLite database ({exc})") from exc
    return {name: sql for name, sql in rows}


def _sqlite_table(origin: Path, db: Path, table: str | None, from_csv: bool = False) -> SourceTable:
    tables = _tables(db)
    if not tables:
        raise PackError(f"{origin}: the database has no tables")
    if table is None:
        if len(tables) > 1:
            raise PackError(f"{origin}: the database has {len(tables)} tables ({', '.join(tables)}): "
                            "choose one with --table")
        table = next(iter(tables))
    if table not in tables:
        raise PackError(f"{origin}: no table {table!r}; the database has: {', '.join(tables)}")
    with _connect(db) as conn:
        info = conn.execute(f"PRAGMA table_info({quote(table)})").fetchall()
        try:
            rows = conn.execute(f"SELECT COUNT(*) FROM {quote(table)}").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise PackError(f"{origin}: table {table!r} cannot be read ({exc})") from exc
    columns = tuple((str(r[1]), str(r[2] or "")) for r in info)
    return SourceTable(origin=origin, db=db, table=table, create_sql=tables[table], columns=columns, rows=rows,
                       from_csv=from_csv)


def _csv_table(path: Path, table: str | None, work: Path) -> SourceTable:
    try:
        frame = pd.read_csv(path, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PackError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except pd.errors.EmptyDataError:
        raise PackError(f"{path}: the CSV file is empty") from None
    except pd.errors.ParserError as exc:
        raise PackError(f"{path}: not a readable CSV file ({str(exc).splitlines()[0][:200]})") from exc
    name = table or path.stem
    db = work / f"{path.stem}.db"
    types = {c: "INTEGER" if pd.api.types.is_integer_dtype(t) else "REAL" if pd.api.types.is_float_dtype(t)
             else "TEXT" for c, t in frame.dtypes.items()}
    with sqlite3.connect(db) as conn:
        frame.to_sql(name, conn, index=False, dtype=types)
    return _sqlite_table(path, db, name, from_csv=True)


def working_copy(source: SourceTable, work: Path) -> Path:
    """A writable copy of the source database (only the round's table), for adding an id column."""
    dest = Path(tempfile.mkdtemp(dir=work)) / source.db.name
    with sqlite3.connect(dest) as conn:
        conn.execute(source.create_sql)
        conn.execute("ATTACH DATABASE ? AS src", (f"file:{source.db}?mode=ro",))
        conn.execute(f"INSERT INTO main.{quote(source.table)} SELECT * FROM src.{quote(source.table)} ORDER BY rowid")
        conn.commit()
        conn.execute("DETACH DATABASE src")
    return dest


def add_id_column(db: Path, table: str, column: str) -> None:
    """Add a unique text id (R000001, ...) to every row: the held-out predictions are keyed by it."""
    with sqlite3.connect(db) as conn:
        conn.execute(f"ALTER TABLE {quote(table)} ADD COLUMN {quote(column)} TEXT")
        conn.execute(f"UPDATE {quote(table)} SET {quote(column)} = printf('R%06d', rowid)")
        conn.commit()


def copy_rows(source_db: Path, table: str, create_sql: str, rowids: list[int], dest: Path,
              drop: str | None = None) -> None:
    """Write a database with the same table (same declaration, name and values) holding only `rowids`."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        dest.unlink()
    with sqlite3.connect(dest) as conn:
        conn.execute(create_sql)
        conn.execute("ATTACH DATABASE ? AS src", (f"file:{source_db}?mode=ro",))
        conn.execute("CREATE TEMP TABLE pick (r INTEGER PRIMARY KEY)")
        conn.executemany("INSERT INTO temp.pick VALUES (?)", ((int(r),) for r in rowids))
        conn.execute(f"INSERT INTO main.{quote(table)} SELECT * FROM src.{quote(table)} "
                     "WHERE rowid IN (SELECT r FROM temp.pick) ORDER BY rowid")
        conn.commit()
        conn.execute("DETACH DATABASE src")
        if drop is not None:
            conn.execute(f"ALTER TABLE {quote(table)} DROP COLUMN {quote(drop)}")
            conn.commit()
    vacuum(dest)


def vacuum(db: Path) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("VACUUM")
    finally:
        conn.close()
