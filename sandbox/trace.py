"""The host side of the tracer (sandbox/tools/aie_tracer.py): an append-only record the candidate cannot rewrite.

Every traced Python process connects to a Unix socket the grader owns, in a directory mounted read-only,
and streams its events; the collector stamps each connection with the kernel's word on who connected
(SO_PEERCRED). A process of the run can add events but never remove or rewrite what was sent. Beside
it, a sampler lists the run's processes from outside: a Python process that never connected ran
untraced, and the record is then unverified evidence.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

MAX_TRACE_EVENTS = 60_000
MAX_TRACE_BYTES = 48 * 1024 * 1024
MAX_LINE_BYTES = 512 * 1024
SOCKET_NAME = "trace.sock"
CONFIG_NAME = "run.json"
SAMPLE_EVERY_S = 0.2


@dataclass
class TraceRecord:
    """What the collector received, and why it may not be the whole story."""

    events: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    peers: set[int] = field(default_factory=set)  # host pids that connected (the kernel's word, not the tracer's)


class TraceCollector:
    """A per-run Unix socket server gathering trace lines, within a byte and event budget."""

    def __init__(self, directory: Path) -> None:
        self.socket_path = directory / SOCKET_NAME
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(str(self.socket_path))
        self.socket_path.chmod(0o666)  # the sandbox's uid connects; only the grader can remove it
        self._server.listen(64)
        self._lock = threading.Lock()
        self._record = TraceRecord()
        self._budget = MAX_TRACE_BYTES
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def _accept(self) -> None:
        """Accept until asked to stop, then take every connection still queued (a run's last processes)."""
        self._server.settimeout(0.1)
        while True:
            stopping = self._stopping.is_set()
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                if stopping:
                    return
                continue
            except OSError:
                return
            conn.settimeout(None)
            thread = threading.Thread(target=self._read, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _read(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as stream:
            pid = _peer_pid(conn)
            with self._lock:
                if pid:
                    self._record.peers.add(pid)
            while raw := stream.readline(MAX_LINE_BYTES + 1):
                if not self._take(raw, pid):
                    return

    def _take(self, raw: bytes, pid: int | None) -> bool:
        """Record one line; False once the budget is spent (the connection is then dropped)."""
        with self._lock:
            self._budget -= len(raw)
            if self._budget < 0 or len(self._record.events) >= MAX_TRACE_EVENTS:
                _note(self._record.problems, "trace truncated at the grader's cap")
                return False
            if len(raw) > MAX_LINE_BYTES or not raw.endswith(b"\n"):
                _note(self._record.problems, "an over-long or unterminated trace line was skipped")
                return True
            try:
                event = json.loads(raw)
            except ValueError:
                _note(self._record.problems, "a malformed trace line was skipped")
                return True
            if isinstance(event, dict) and isinstance(event.get("ev"), str):
                event["peer"] = pid
                self._record.events.append(event)
            else:
                _note(self._record.problems, "a trace line that is not an event was skipped")
            return True

    def close(self) -> TraceRecord:
        """Stop accepting, let the open connections drain briefly, and return the record in time order."""
        self._stopping.set()
        self._accepting.join(timeout=5)
        self._server.close()
        deadline = time.monotonic() + 5
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        if any(thread.is_alive() for thread in self._threads):
            _note(self._record.problems, "a traced process kept its connection open after the run")
        with self._lock:
            self._record.events = _ordered(self._record.events)
            return self._record


def _note(problems: list[str], text: str) -> None:
    if text not in problems:
        problems.append(text)


def _peer_pid(conn: socket.socket) -> int | None:
    with contextlib.suppress(OSError, struct.error):
        pid, _uid, _gid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                              struct.calcsize("3i")))
        return pid or None
    return None


def _ordered(events: list[dict]) -> list[dict]:
    def key(item: tuple[int, dict]) -> tuple[float, int]:
        index, event = item
        t = event.get("t")
        return (float(t) if isinstance(t, (int, float)) else 0.0, index)

    return [event for _index, event in sorted(enumerate(events), key=key)]


def write_run_config(directory: Path, config: dict) -> Path:
    """The run's settings for the in-sandbox hook, readable by the sandbox's uid and writable only by us."""
    path = directory / CONFIG_NAME
    path.write_text(json.dumps(config))
    path.chmod(0o644)
    directory.chmod(0o755)
    return path


# ---------------------------------------------------------------- who ran: the sampler

def is_python(pid: int) -> str | None:
    """The command line of pid when it runs a Python interpreter (by its executable or argv[0]), else None."""
    proc = Path("/proc") / str(pid)
    try:
        exe = os.path.basename(os.readlink(proc / "exe"))
        argv = (proc / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    first = os.path.basename(argv[0].decode("utf-8", "replace")) if argv and argv[0] else ""
    if exe.startswith("python") or first.startswith("python"):
        return " ".join(a.decode("utf-8", "replace") for a in argv if a)[:200]
    return None


class ProcessSampler:
    """Samples the run's processes from the host while it runs and remembers the Python ones."""

    def __init__(self, list_pids: Callable[[], Iterator[int] | list[int]]) -> None:
        self._list_pids = list_pids
        self.python: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> ProcessSampler:
        self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(SAMPLE_EVERY_S)

    def sample(self) -> None:
        with contextlib.suppress(Exception):
            for pid in self._list_pids():
                if pid not in self.python and (cmd := is_python(pid)):
                    self.python[pid] = cmd

    def stop(self) -> dict[int, str]:
        self._stop.set()
        self._thread.join(timeout=2)
        return self.python


def untraced_processes(python: dict[int, str], record: TraceRecord) -> list[str]:
    """The Python processes seen running that never connected to the collector."""
    return [f"pid {pid}: {cmd}" for pid, cmd in sorted(python.items()) if pid not in record.peers]


class TraceSession:
    """The host side of one traced run, shared by the backends: the collector, then the sampler once the run
    has started, then the finished record put on the run's result."""

    def __init__(self, directory: Path) -> None:
        self.collector = TraceCollector(directory)
        self.sampler: ProcessSampler | None = None

    @property
    def socket_path(self) -> Path:
        return self.collector.socket_path

    def watch(self, list_pids: Callable[[], Iterator[int] | list[int]]) -> None:
        """Start sampling the run's processes (call once they exist)."""
        self.sampler = ProcessSampler(list_pids).start()

    def finish(self, result) -> None:
        """Stop both and record the trace, its problems and the untraced processes on result (a RunResult)."""
        python = self.sampler.stop() if self.sampler else {}
        record = self.collector.close()
        result.trace, result.trace_problems = record.events, record.problems
        result.trace_untraced = untraced_processes(python, record)
