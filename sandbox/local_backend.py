"""The local runner: a subprocess with rlimits, for candidates without Docker. NOT a security boundary.

It does what a subprocess can: a temporary copy of the submission, a scrubbed environment, memory /
file-size / process / open-file limits, a wall-clock kill of the whole process group, no network
through `unshare --net` where the kernel allows it, and, when the grader runs as root, a throw-away
uid (so the process limit holds, root-only files stay unreadable, and every process the run left
behind can be killed). Whatever is world-readable or world-writable on the host stays so.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import resource
import shutil
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from functools import cache
from pathlib import Path

from sandbox.base import NOT_A_BOUNDARY, STATUS_OOM, TOOLS_DIR, Limits, RunResult, RunSpec, StreamCapture
from sandbox.contract import Inside, Recorder, status_of
from sandbox.files import capped_directory, run_directory, stage_workspace
from sandbox.local_env import ensure_local_env, local_python

SANDBOX_UID_BASE = 61000
_uid_counter = itertools.count()


@cache
def _works(*command: str) -> bool:
    try:
        return subprocess.run(list(command), capture_output=True, timeout=10, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _network_prefix(as_root: bool) -> list[str]:
    if shutil.which("unshare") is None:
        return []
    if as_root and _works("unshare", "--net", "--", "true"):
        return ["unshare", "--net", "--"]
    if not as_root and _works("unshare", "--map-root-user", "--net", "--", "true"):
        return ["unshare", "--map-root-user", "--net", "--"]
    return []


def _drop_prefix(uid: int) -> list[str]:
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all", "--"]


def _chown_tree(root: Path, uid: int) -> None:
    for path in [root, *root.rglob("*")]:
        with contextlib.suppress(OSError):
            os.chown(path, uid, uid, follow_symlinks=False)


class LocalSandbox:
    """Runs the command as a local process group with limits."""

    name = "local"
    security_boundary = False

    def __init__(self, python: str | None = None) -> None:
        self._python = python or os.environ.get("AIE_GRADER_LOCAL_PYTHON")

    def python_dir(self, drop: bool) -> str | None:
        """Where `python` comes from: $AIE_GRADER_LOCAL_PYTHON, else the local runner venv (the runner image's
        libraries, readable by the throw-away uid when `drop`). None when it is not built."""
        if self._python:
            return str(Path(self._python).parent)
        built = local_python()
        return str(built.parent) if built else None

    def available(self) -> str | None:
        return None

    def prepare(self, log: Callable[[str], None]) -> str | None:
        """Build the local runner's environment on first use; the reason when it cannot be built."""
        if self._python:
            return None
        try:
            ensure_local_env(log)
        except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
            return f"the local runner's environment could not be built: {exc}"
        return None

    def isolation(self) -> list[str]:
        """What this machine lets the runner apply, in words for the report."""
        as_root = os.geteuid() == 0
        applied = ["temporary copy", "scrubbed environment", "rlimits (memory, file size, open files, core)",
                   "wall-clock kill of the process group"]
        if as_root and shutil.which("setpriv"):
            applied.append("throw-away uid with a process limit")
        applied.append("no network (unshare --net)" if _network_prefix(as_root) else "NETWORK NOT CUT OFF")
        return applied

    def remove_leftovers(self) -> int:
        """Nothing to remove: every run kills its own processes and removes its own folders before it returns."""
        return 0

    def run(self, spec: RunSpec, artifacts_dir: Path) -> RunResult:
        limits = spec.limits
        as_root = os.geteuid() == 0
        drop = as_root and shutil.which("setpriv") is not None
        uid = SANDBOX_UID_BASE + (os.getpid() * 7 + next(_uid_counter)) % 4000 if drop else os.getuid()
        run_id = uuid.uuid4().hex[:12]
        recorder = Recorder(self.name, spec, security_boundary=self.security_boundary,
                            notes=[NOT_A_BOUNDARY, "isolation applied: " + ", ".join(self.isolation())])
        result = recorder.result
        python_dir = self.python_dir(drop)
        if python_dir is None:
            result.error = ("the local runner's environment is not built: it is built on first use by `grader check "
                            "--backend local` (or `python -m sandbox.local_env`), or set AIE_GRADER_LOCAL_PYTHON")
            return result
        with capped_directory(limits.workspace_mb, executable=True) as (base, capped), run_directory() as run_dir:
            if not capped:
                result.notes.append("workspace size not capped (no tmpfs mount without root)")
            work, home = base / "work", base / "home"
            stage_workspace(spec.submission_dir, spec.data_dir, work)
            (home / "tmp").mkdir(parents=True)
            if drop:
                _chown_tree(base, uid)
            layer = str(spec.env_layer.resolve()) if spec.env_layer is not None else None
            path = f"{python_dir}:/usr/local/bin:/usr/bin:/bin"
            own = {
                "PATH": f"{layer}/bin:{path}" if layer else path,  # the layer's commands (jupyter, ...) first
                "HOME": str(home), "TMPDIR": str(home / "tmp"), "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(home / "tmp"),
                "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8", "AIE_GRADER_RUN": run_id,
            }
            inside = Inside(tools=str(TOOLS_DIR), data_dir=str(work / "data"), run_dir=str(run_dir), env_layer=layer,
                            sitecustomize=True)
            prepared = recorder.prepare(run_dir, inside, own)
            command = _network_prefix(as_root) + (_drop_prefix(uid) if drop else []) + prepared.command
            try:
                proc = subprocess.Popen(command, cwd=work, env=prepared.environment, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                                        preexec_fn=_limits_setter(limits, drop))
            except OSError as exc:
                return recorder.abort(f"cannot start {spec.command[0]}: {exc}")
            recorder.watch(lambda: _processes_of(uid if drop else None, run_id, os.getpid()))
            self._follow_to_the_end(proc, recorder, uid if drop else None, run_id)
            recorder.finish(work / "output", artifacts_dir)
        return result

    @staticmethod
    def _follow_to_the_end(proc: subprocess.Popen, recorder: Recorder, uid: int | None, run_id: str) -> None:
        """Read the logs, wait for the process (or kill it at the deadline), kill what it left, read how it ended."""
        result = recorder.result
        readers = [threading.Thread(target=_pump, args=(proc.stdout, recorder.stdout), daemon=True),
                   threading.Thread(target=_pump, args=(proc.stderr, recorder.stderr), daemon=True)]
        for reader in readers:
            reader.start()
        status, rusage = _wait(proc.pid, recorder.started + result.limits.timeout_s)
        result.timed_out = status is None
        _kill_everything(proc.pid, uid, run_id)
        if status is None:
            status, rusage = _reap(proc.pid)
        proc.returncode = status  # reaped by os.wait4: keep Popen from waiting again
        for reader in readers:
            reader.join(timeout=5)
        recorder.take_logs()
        result.exit_code = _exit_code(status)
        result.peak_memory_bytes = rusage.ru_maxrss * 1024 if rusage else None
        memory_error = result.exit_code != 0 and "MemoryError" in result.stderr
        result.status = status_of(result.exit_code, result.timed_out, memory_error)
        if result.status == STATUS_OOM:
            result.notes.append("MemoryError: the memory limit (RLIMIT_DATA) was reached")


def _limits_setter(limits: Limits, drop: bool) -> Callable[[], None]:
    """The rlimits the child sets on itself before it runs the command (the process limit with a throw-away uid)."""

    def apply_limits() -> None:
        memory = limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
        size = limits.workspace_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if drop:
            resource.setrlimit(resource.RLIMIT_NPROC, (limits.pids, limits.pids))

    return apply_limits


def _pump(pipe, capture: StreamCapture) -> None:
    with contextlib.suppress(Exception):
        while chunk := pipe.read1(65536):
            capture.feed(chunk)


def _wait(pid: int, deadline: float):
    """Wait for pid until the deadline: (wait status, rusage), or (None, None) at the deadline."""
    while True:
        done, status, rusage = os.wait4(pid, os.WNOHANG)
        if done == pid:
            return status, rusage
        if time.monotonic() >= deadline:
            return None, None
        time.sleep(0.05)


def _reap(pid: int):
    with contextlib.suppress(ChildProcessError):
        _, status, rusage = os.wait4(pid, 0)
        return status, rusage
    return None, None


def _exit_code(status: int | None) -> int | None:
    if status is None:
        return None
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def _kill_everything(pid: int, uid: int | None, run_id: str) -> None:
    """Kill the process group, every process of the throw-away uid, and anything carrying the run's marker."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    for _ in range(5):
        if uid is not None:
            # `kill -9 -1` run as the sandbox uid reaches exactly that uid's processes, daemons included.
            subprocess.run(_drop_prefix(uid) + ["kill", "-9", "-1"], capture_output=True, check=False)
        survivors = _processes_of(uid, run_id, exclude=os.getpid())
        if not survivors:
            return
        for other in survivors:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(other, signal.SIGKILL)
        time.sleep(0.1)


def _processes_of(uid: int | None, run_id: str, exclude: int) -> list[int]:
    found = []
    marker = f"AIE_GRADER_RUN={run_id}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == exclude:
            continue
        try:
            if uid is not None and entry.stat().st_uid == uid:
                found.append(int(entry.name))
            elif marker in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found
