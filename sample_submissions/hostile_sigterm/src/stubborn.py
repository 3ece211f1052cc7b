"""HOSTILE TEST FIXTURE: ignore every polite signal, in a parent and a forked child.

Only SIGKILL ends it. SAFETY: both processes stop by themselves after 30 minutes; every sandbox
timeout used by the tests is far below that.
"""

import json
import os
import signal
import time

ATTACK = "sigterm"
SAFETY_CAP_S = 1800
IGNORED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def ignore_signals():
    for sig in IGNORED:
        signal.signal(sig, signal.SIG_IGN)


def linger(role):
    start = time.monotonic()
    while time.monotonic() - start < SAFETY_CAP_S:
        print("ATTACK-PROGRESS " + json.dumps(
            {"attack": ATTACK, "role": role, "pid": os.getpid(),
             "seconds": round(time.monotonic() - start)}), flush=True)
        time.sleep(5)


def main():
    ignore_signals()
    pid = os.fork()
    if pid == 0:
        ignore_signals()  # inherited already; set again explicitly
        linger("child")
        os._exit(0)
    linger("parent")


if __name__ == "__main__":
    main()
