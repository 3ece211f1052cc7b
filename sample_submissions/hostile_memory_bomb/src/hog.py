"""HOSTILE TEST FIXTURE: allocate memory in 100 MB steps until killed.

SAFETY: stops at 6000 MB (60 blocks) or after 120 s, whichever comes first.
"""

import json
import os
import time

ATTACK = "memory_bomb"
BLOCK = 100 * 2**20          # 100 MB
MAX_BLOCKS = 60              # 6000 MB: never allocate more than ~6 GB
PROGRESS_EVERY = 5           # every 500 MB
TIME_CAP_S = 120
PAGE = 4096


def report(succeeded, details):
    line = json.dumps({"attack": ATTACK, "succeeded": bool(succeeded), "details": details},
                      separators=(",", ":"))
    print("ATTACK-RESULT " + line, flush=True)
    try:
        os.makedirs("output", exist_ok=True)
        with open(os.path.join("output", "attack.json"), "w") as fh:
            fh.write(line + "\n")
    except Exception:
        pass


def main():
    print('ATTACK-PROGRESS {"attack":"memory_bomb","stage":"starting","total_mb":0}', flush=True)
    start = time.monotonic()
    hoard = []
    error = None
    one_per_page = b"\x01" * len(range(0, BLOCK, PAGE))
    try:
        while len(hoard) < MAX_BLOCKS and time.monotonic() - start < TIME_CAP_S:
            block = bytearray(BLOCK)          # zero-filled by CPython: every page is written
            block[::PAGE] = one_per_page      # and touch every page again, to be sure
            hoard.append(block)
            if len(hoard) % PROGRESS_EVERY == 0:
                print("ATTACK-PROGRESS " + json.dumps(
                    {"attack": ATTACK, "total_mb": len(hoard) * 100,
                     "seconds": round(time.monotonic() - start, 1)}), flush=True)
    except MemoryError as exc:
        error = f"MemoryError: {exc}"
    total_mb = len(hoard) * 100
    hoard.clear()
    report(total_mb >= MAX_BLOCKS * 100, {
        "total_mb": total_mb, "target_mb": MAX_BLOCKS * 100, "error": error,
        "seconds": round(time.monotonic() - start, 1)})


if __name__ == "__main__":
    main()
