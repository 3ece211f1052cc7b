"""Bad-input variants of a pack's data for the robustness probes (SPEC §7, issue 5).

Each probe is a data directory like the one a normal run gets, with one thing broken. They are
built from the pack's own files on the host (nothing of the submission is read here).
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from grader.packs.pack import Pack
from grader.packs.source import quote, vacuum

UNSEEN_VALUE = "Zzyzx"
TEXT_VALUE = "n/a"


@dataclass(frozen=True)
class Probe:
    """One bad input: its name, what is wrong, and whether a robust pipeline still writes predictions."""

    name: str
    description: str
    expects_output: bool


PROBES = (
    Probe("empty_table", "the training table exists but has no rows", False),
    Probe("text_in_numeric", "a numeric column holds text ('n/a') in every 10th row", True),
    Probe("missing_database", "the training database file is missing", False),
    Probe("unseen_category", "the held-out file has a category value never seen in training", True),
)


def _columns(db: Path, table: str) -> list[tuple[str, str]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return [(row[1], (row[2] or "").upper()) for row in conn.execute(f"PRAGMA table_info({quote(table)})")]


def _numeric_in(db: Path, table: str, skip: tuple[str, ...]) -> str | None:
    """The first REAL/INTEGER feature column (not the target, not the id)."""
    for name, kind in _columns(db, table):
        if name not in skip and ("REAL" in kind or "INT" in kind):
            return name
    return None


def _categorical_in(db: Path, table: str, skip: tuple[str, ...]) -> str | None:
    """The TEXT feature column with the fewest distinct values (2..50) and no numbers in it."""
    best: tuple[int, str] | None = None
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        for name, kind in _columns(db, table):
            if name in skip or "TEXT" not in kind:
                continue
            values = [r[0] for r in conn.execute(f"SELECT DISTINCT {quote(name)} FROM {quote(table)} LIMIT 60")]
            words = [v for v in values if isinstance(v, str)]
            if not 2 <= len(values) <= 50 or any(any(ch.isdigit() for ch in w) for w in words):
                continue
            if best is None or len(values) < best[0]:
                best = (len(values), name)
    return best[1] if best else None


def probe_columns(db: Path, table: str, target: str, id_column: str) -> dict[str, str]:
    """The columns the probes change, chosen once by `pack new` and kept in the pack (staff may edit them)."""
    skip = (target, id_column)
    found = {"text_in_numeric": _numeric_in(db, table, skip), "unseen_category": _categorical_in(db, table, skip)}
    return {k: v for k, v in found.items() if v}


def numeric_column(pack: Pack) -> str | None:
    """The column the text-in-numeric probe changes: the pack's choice, else the first numeric feature."""
    return pack.probe_columns.get("text_in_numeric") or _numeric_in(pack.train_db, pack.table,
                                                                    (pack.target, pack.id_column))


def categorical_column(pack: Pack) -> str | None:
    """The column the unseen-category probe changes: the pack's choice, else the smallest text category."""
    return pack.probe_columns.get("unseen_category") or _categorical_in(pack.train_db, pack.table,
                                                                        (pack.target, pack.id_column))


def _every_tenth_row(db: Path, table: str, column: str, value: str) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(f"UPDATE {quote(table)} SET {quote(column)} = ? WHERE rowid % 10 = 0", (value,))


def stage_probe(pack: Pack, probe: Probe, dest: Path) -> Path:
    """Write the probe's data directory (read-only, like a normal run's) and return it."""
    dest.mkdir(parents=True, exist_ok=True)
    train = dest / Path(pack.dataset_file).name
    holdout = dest / pack.holdout_mount_name
    if probe.name != "missing_database":
        shutil.copyfile(pack.train_db, train)
    if pack.heldout_mode == "predictions":
        shutil.copyfile(pack.holdout_features, holdout)
    if probe.name == "empty_table":
        with sqlite3.connect(train) as conn:
            conn.execute(f"DELETE FROM {quote(pack.table)}")
        vacuum(train)
    elif probe.name == "text_in_numeric":
        column = numeric_column(pack)
        for db in (train, holdout) if column else ():
            if db.exists():
                _every_tenth_row(db, pack.table, column, TEXT_VALUE)
    elif probe.name == "unseen_category":
        column = categorical_column(pack)
        if column:
            _every_tenth_row(holdout if holdout.exists() else train, pack.table, column, UNSEEN_VALUE)
    for path in dest.iterdir():
        path.chmod(0o444)
    dest.chmod(0o555)
    return dest


def probe_detail(pack: Pack, probe: Probe) -> str:
    """The probe's description with the column it changed."""
    if probe.name == "text_in_numeric":
        return f"{probe.description}: column {numeric_column(pack)}"
    if probe.name == "unseen_category":
        return f"{probe.description}: column {categorical_column(pack)} = {UNSEEN_VALUE!r} in every 10th row"
    return probe.description
