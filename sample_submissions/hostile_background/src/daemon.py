"""HOSTILE TEST FIXTURE: a daemon that tries to outlive the run.

Started as `python src/daemon.py aie-daemon-marker` so the marker is on its command line.
Double-forks with setsid, closes the std fds, ignores SIGHUP, then once a second for up to 300 s
appends a timestamp to /tmp/aie-daemon-heartbeat and output/heartbeat.txt.
"""

import json
import os
import signal
import sys
import time

LIFETIME_S = 300
HEARTBEATS = ("/tmp/aie-daemon-heartbeat", os.path.join(os.getcwd(), "output", "heartbeat.txt"))


def daemon_body():
    start = time.monotonic()
    while time.monotonic() - start < LIFETIME_S:
        stamp = f"{time.time():.3f} pid={os.getpid()} {' '.join(sys.argv[1:])}\n"
        for path in HEARTBEATS:
            try:
                with open(path, "a") as fh:
                    fh.write(stamp)
            except Exception:
                pass
        time.sleep(1)


def detach_std_fds():
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        try:
            os.dup2(devnull, fd)  # closes the inherited pipe/terminal, keeps fds 0-2 valid
        except OSError:
            pass
    if devnull > 2:
        os.close(devnull)


def main():
    read_end, write_end = os.pipe()
    first = os.fork()
    if first == 0:  # first child: new session, fork again, exit
        os.close(read_end)
        os.setsid()
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        second = os.fork()
        if second == 0:  # the daemon: reparented, session leader's child, no controlling tty
            os.write(write_end, str(os.getpid()).encode())
            os.close(write_end)
            detach_std_fds()
            try:
                daemon_body()
            finally:
                os._exit(0)
        os._exit(0)
    os.close(write_end)
    os.waitpid(first, 0)
    pid = os.read(read_end, 32).decode() or "?"
    os.close(read_end)
    print("ATTACK-PROGRESS " + json.dumps({"attack": "background", "daemon_pid": pid,
                                           "argv_marker": sys.argv[1:]}), flush=True)


if __name__ == "__main__":
    main()
