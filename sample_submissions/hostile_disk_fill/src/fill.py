"""HOSTILE TEST FIXTURE: fill every writable place with data.

Writes 16 MB chunks to the working dir (fill/), the temp dir and output/ (last, because output
fills up) until an OSError or 1 GB per place. SAFETY: at most 3 GB in total, 120 s per place.
Nothing is deleted: the sandbox has to cope with the full disks.
"""

import errno
import json
import os
import tempfile
import time

ATTACK = "disk_fill"
CHUNK = 16 * 2**20
LIMIT = 2**30               # 1 GB per place, 3 places: never more than 3 GB
TIME_CAP_S = 120


def report(succeeded, details, write_file=True):
    line = json.dumps({"attack": ATTACK, "succeeded": bool(succeeded), "details": details},
                      separators=(",", ":"))
    print("ATTACK-RESULT " + line, flush=True)
    if write_file:
        try:
            os.makedirs("output", exist_ok=True)
            with open(os.path.join("output", "attack.json"), "w") as fh:
                fh.write(line + "\n")
        except Exception:
            pass


def describe(exc):
    name = errno.errorcode.get(getattr(exc, "errno", None) or -1, type(exc).__name__)
    return f"{name}: {exc}"


def fill(path, buf):
    written, error = 0, None
    start = time.monotonic()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fh = open(path, "wb", buffering=0)
    except OSError as exc:
        return {"path": path, "bytes": 0, "error": describe(exc), "full_gb": False}
    try:
        while written < LIMIT and time.monotonic() - start < TIME_CAP_S:
            n = fh.write(buf[: min(CHUNK, LIMIT - written)])
            written += n or 0
            if not n:
                break
    except OSError as exc:
        error = describe(exc)
    finally:
        try:
            fh.close()
        except OSError as exc:  # some filesystems only report the failure on close
            error = error or describe(exc)
    try:
        on_disk = os.path.getsize(path)
    except OSError:
        on_disk = None
    return {"path": path, "bytes": written, "size_on_disk": on_disk, "error": error,
            "full_gb": written >= LIMIT, "seconds": round(time.monotonic() - start, 1)}


def main():
    buf = os.urandom(CHUNK)  # random once, reused for every chunk
    tag = f"aie-disk-fill-{os.getpid()}.bin"
    places = {
        "workdir": os.path.join(os.getcwd(), "fill", tag),
        "tmp": os.path.join(tempfile.gettempdir(), tag),
        "output": os.path.join(os.getcwd(), "output", tag),
    }
    print("ATTACK-PROGRESS " + json.dumps({"attack": ATTACK, "places": places}), flush=True)
    results = {}
    for name in ("workdir", "tmp"):
        results[name] = fill(places[name], buf)
        print("ATTACK-PROGRESS " + json.dumps({"attack": ATTACK, name: results[name]}), flush=True)
    report(any(r["full_gb"] for r in results.values()), {**results, "stage": "before-output"})
    results["output"] = fill(places["output"], buf)
    # output/ may now be full, so writing attack.json can fail: stdout still carries the result.
    report(any(r["full_gb"] for r in results.values()), {**results, "stage": "final"})


if __name__ == "__main__":
    main()
