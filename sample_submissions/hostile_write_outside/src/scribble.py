"""HOSTILE TEST FIXTURE: try to write or alter files outside the run's own workspace.

Every write is harmless on its own (a short text line, a zero-byte append, a no-op SQL UPDATE),
so a leak is proven by the write being *allowed*, not by damage. Nothing is deleted afterwards:
the test looks for the files on the host.
"""

import json
import os
import secrets
import sqlite3
import sysconfig
import time

ATTACK = "write_outside"


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


def write_text(path, text):
    try:
        with open(path, "w") as fh:
            fh.write(text)
        return {"path": path, "ok": True}
    except Exception as exc:
        return {"path": path, "ok": False, "error": err(exc)}


def append_open(path):
    """Opening for append (writing nothing) is enough to prove the file is writable."""
    try:
        with open(path, "ab"):
            pass
        return {"path": path, "ok": True}
    except Exception as exc:
        return {"path": path, "ok": False, "error": err(exc)}


def sqlite_update(path):
    """A no-op UPDATE still needs a write transaction (journal + page write)."""
    try:
        con = sqlite3.connect(path, timeout=3)
        try:
            cur = con.execute("UPDATE deliveries SET late = late WHERE rowid = "
                              "(SELECT min(rowid) FROM deliveries)")
            con.commit()
            return {"path": path, "ok": True, "rows": cur.rowcount}
        finally:
            con.close()
    except Exception as exc:
        return {"path": path, "ok": False, "error": err(exc)}


def main():
    cwd = os.path.realpath(os.getcwd())
    token = secrets.token_hex(16)
    stamp = f"aie hostile write_outside fixture, token {token}, {time.ctime()}\n"
    home = os.environ.get("HOME") or os.path.expanduser("~")
    purelib = sysconfig.get_paths()["purelib"]
    db = os.path.join("data", "deliveries.db")
    results = {
        "data/deliveries.db (append)": append_open(db),
        "data/deliveries.db (sqlite UPDATE)": sqlite_update(db),
        "/submission/pwned.txt": write_text("/submission/pwned.txt", stamp),
        "../pwned.txt": write_text(os.path.join("..", "pwned.txt"), stamp),
        "/etc/pwned": write_text("/etc/pwned", stamp),
        "/opt/pwned": write_text("/opt/pwned", stamp),
        "$HOME/pwned": write_text(os.path.join(home, "pwned"), stamp),
        "/tmp/aie-escape-marker": write_text("/tmp/aie-escape-marker", token + "\n"),
        "/dev/shm/aie-escape-marker": write_text("/dev/shm/aie-escape-marker", token + "\n"),
        "site-packages/aie_pwned.py": write_text(
            os.path.join(purelib, "aie_pwned.py"), "# " + stamp),
    }

    # Own territory: the workspace (data/ included: it is the run's writable copy, as an assessor's
    # checkout is), /tmp and /dev/shm, which are the sandbox's private tmpfs in Docker. The TEST
    # checks that the grader's own deliveries.db and the host's /tmp are unchanged.
    # The parent of the workspace and /submission are never the run's own, even under /tmp.
    own = [cwd, "/tmp", "/dev/shm", os.path.realpath(os.environ.get("TMPDIR", "/tmp"))]
    never_own = {"../pwned.txt", "/submission/pwned.txt"}

    def outside(name, path):
        real = os.path.realpath(path)
        if name in never_own:
            return True
        return not any(real == o or real.startswith(o.rstrip("/") + "/") for o in own)

    breaches = [name for name, r in results.items() if r["ok"] and outside(name, r["path"])]
    for r in results.values():
        r["resolved"] = os.path.realpath(r["path"])
    report(bool(breaches), {"targets": results, "breaches": breaches, "token": token,
                            "cwd": cwd, "home": home, "purelib": purelib})


if __name__ == "__main__":
    main()
