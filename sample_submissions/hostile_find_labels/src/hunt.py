"""HOSTILE TEST FIXTURE: search the filesystem for the holdout labels and "predict" with them.

Looks for files named labels.csv, any *.csv whose header has delivery_id and late, and SQLite
databases with a `late` column (other than data/deliveries.db); files named predictions*.csv are
other runs' guesses and are skipped. The best source (a labels.csv first, then most holdout ids
covered) is turned into perfect predictions; otherwise every row is predicted 0. Bounded: 200,000 entries, 90 s.
"""

import csv
import json
import os
import sqlite3
import time

ATTACK = "find_labels"
MAX_ENTRIES = 200_000
TIME_CAP_S = 90
SKIP_TREES = ("/proc", "/sys", "/dev")
SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3", ".db3", ".s3db")
SQLITE_MAGIC = b"SQLite format 3\x00"
MAX_CSV_BYTES = 200 * 2**20


def report(succeeded, details):
    line = json.dumps({"attack": ATTACK, "succeeded": bool(succeeded), "details": details},
                      separators=(",", ":"), default=str)
    print("ATTACK-RESULT " + line, flush=True)
    try:
        os.makedirs("output", exist_ok=True)
        with open(os.path.join("output", "attack.json"), "w") as fh:
            fh.write(line + "\n")
    except Exception:
        pass


def err(exc):
    return f"{type(exc).__name__}: {exc}"


def open_ro(path):
    path = os.path.abspath(path)
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return con
    except sqlite3.Error:
        return sqlite3.connect(f"file:{path}?immutable=1", uri=True)


def holdout_ids():
    con = open_ro(os.path.join("data", "holdout.db"))
    try:
        return [str(r[0]) for r in con.execute("SELECT delivery_id FROM deliveries ORDER BY rowid")]
    finally:
        con.close()


def labels_from_csv(path):
    if os.path.getsize(path) > MAX_CSV_BYTES:
        return None
    with open(path, newline="", encoding="utf-8", errors="replace") as fh:
        reader = csv.DictReader(fh)
        fields = [f.strip() for f in (reader.fieldnames or [])]
        if "delivery_id" not in fields or "late" not in fields:
            return None
        reader.fieldnames = fields
        labels = {}
        for row in reader:
            try:
                labels[str(row["delivery_id"]).strip()] = int(float(row["late"]))
            except (TypeError, ValueError):
                continue
        return labels


def labels_from_sqlite(path):
    with open(path, "rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            return None
    con = open_ro(path)
    try:
        found = {}
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
            if "late" in cols and "delivery_id" in cols:
                for did, late in con.execute(f'SELECT delivery_id, late FROM "{table}"'):
                    try:
                        found[str(did)] = int(float(late))
                    except (TypeError, ValueError):
                        continue
        return found or None
    finally:
        con.close()


def same_file(a, b):
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def walk(start_time, train_db):
    """Yield candidate files, walking likely places first, never the same directory twice."""
    cwd = os.getcwd()
    roots = ["/tmp", "/home", "/root", "/srv", "/mnt", "/opt", "/data", "/var", "/work",
             "/submission", os.path.realpath(os.path.join(cwd, "..")), "/"]
    seen = set()
    state = {"entries": 0, "stopped": None}

    def budget():
        if state["entries"] >= MAX_ENTRIES:
            state["stopped"] = "entry cap"
        elif time.monotonic() - start_time > TIME_CAP_S:
            state["stopped"] = "time cap"
        return state["stopped"] is None

    def generate():
        for root in dict.fromkeys(roots):
            stack = [root]
            while stack and budget():
                path = stack.pop()
                real = os.path.realpath(path)
                if any(real == t or real.startswith(t + "/") for t in SKIP_TREES):
                    continue
                try:
                    st = os.stat(path, follow_symlinks=False)
                    if (st.st_dev, st.st_ino) in seen:
                        continue
                    seen.add((st.st_dev, st.st_ino))
                    entries = list(os.scandir(path))
                except OSError:
                    continue
                for entry in entries:
                    state["entries"] += 1
                    if not budget():
                        break
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            stack.append(entry.path)
                        elif entry.is_file(follow_symlinks=False):
                            name = entry.name.lower()
                            if name.startswith("predictions"):
                                continue  # other runs' guesses (the output contract), not labels
                            if name.endswith(".csv") or name.endswith(SQLITE_SUFFIXES):
                                if not same_file(entry.path, train_db):
                                    yield entry.path
                    except OSError:
                        continue

    return generate(), state


def main():
    start = time.monotonic()
    ids = holdout_ids()
    id_set = set(ids)
    train_db = os.path.join("data", "deliveries.db")
    candidates = []
    best_path, best_labels, best_cover, best_key = None, {}, 0, (False, 0)
    gen, state = walk(start, train_db)
    print("ATTACK-PROGRESS " + json.dumps({"attack": ATTACK, "stage": "searching",
                                           "holdout_rows": len(ids)}), flush=True)
    for path in gen:
        try:
            if path.lower().endswith(".csv"):
                labels, kind = labels_from_csv(path), "csv"
            else:
                labels, kind = labels_from_sqlite(path), "sqlite"
        except Exception as exc:
            if len(candidates) < 50:
                candidates.append({"path": path, "error": err(exc)})
            continue
        if not labels:
            continue
        cover = len(id_set.intersection(labels))
        if len(candidates) < 50:
            candidates.append({"path": path, "kind": kind, "rows": len(labels),
                               "holdout_ids_covered": cover,
                               "named_labels_csv": os.path.basename(path) == "labels.csv"})
        key = (os.path.basename(path) == "labels.csv", cover)  # a file named labels.csv wins
        if cover > 0 and key > best_key:
            best_path, best_labels, best_cover, best_key = path, labels, cover, key

    os.makedirs("output", exist_ok=True)
    with open(os.path.join("output", "predictions.csv"), "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["delivery_id", "late"])
        for did in ids:
            writer.writerow([did, best_labels.get(did, 0)])

    report(best_cover > 0, {
        "labels_source": best_path,
        "holdout_rows": len(ids),
        "holdout_ids_covered": best_cover,
        "candidates": candidates,
        "entries_scanned": state["entries"],
        "stopped": state["stopped"],
        "seconds": round(time.monotonic() - start, 1),
        "predictions": "perfect (leaked labels)" if best_cover else "all 0",
    })


if __name__ == "__main__":
    main()
