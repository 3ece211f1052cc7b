"""What every sandbox backend takes and gives back: a RunSpec in, a RunResult out."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

STATUS_COMPLETED = "completed"  # the command exited 0
STATUS_FAILED = "failed"  # the command exited non-zero
STATUS_TIMEOUT = "timeout"  # killed at the wall-clock limit
STATUS_OOM = "oom"  # killed by the memory limit
STATUS_ERROR = "error"  # the sandbox itself could not run the command


class SandboxUnavailable(RuntimeError):
    """The backend cannot run anything on this machine (no engine, no image)."""


NOT_A_BOUNDARY = ("the local runner is NOT a security boundary: the pipeline runs on this machine as an "
                  "ordinary process and can read whatever is world-readable here")

@dataclass(frozen=True)
class Limits:
    """Resource limits of one run (SPEC §6)."""

    timeout_s: float = 1200.0
    memory_mb: int = 2048
    cpus: float = 1.0
    pids: int = 256
    tmp_mb: int = 512
    workspace_mb: int = 512
    output_mb: int = 512  # what a run may write to output/ (an assessor's disk holds a saved random forest)
    output_copy_mb: int = 64  # what the grader copies back to the host from output/, smallest files first
    log_bytes: int = 256 * 1024


@dataclass(frozen=True)
class RunSpec:
    """One command to run on a copy of a submission with the grader's data mounted read-only."""

    submission_dir: Path
    data_dir: Path
    command: tuple[str, ...] = ("bash", "run.sh")
    limits: Limits = field(default_factory=Limits)
    label: str = "pipeline"
    trace: bool = False  # load the tracer (sandbox/tools/aie_tracer.py) into every Python process
    env: tuple[tuple[str, str], ...] = ()  # extra environment; "{tools}" in a value or a command
    env_layer: Path | None = None  # installed requirements, mounted read-only in front of sys.path


TOOLS_DIR = Path(__file__).with_name("tools")
# a run.sh that pip-installs fails at once offline, instead of spending a minute on retries and version checks
OFFLINE_PIP = {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_RETRIES": "0", "PIP_NO_INPUT": "1", "PIP_TIMEOUT": "3"}
TOOLS_PLACEHOLDER = "{tools}"


def expand_tools(values: tuple[str, ...], tools: str) -> list[str]:
    """Replace the {tools} placeholder with where the backend put sandbox/tools."""
    return [v.replace(TOOLS_PLACEHOLDER, tools) for v in values]


class StreamCapture:
    """Keeps the head and the tail of a stream within a byte budget and counts what it dropped."""

    def __init__(self, budget: int) -> None:
        self.head_budget = budget // 4
        self.tail_budget = budget - self.head_budget
        self.head = bytearray()
        self.tail: deque[bytes] = deque()
        self.tail_size = 0
        self.total = 0

    def feed(self, chunk: bytes) -> None:
        self.total += len(chunk)
        room = self.head_budget - len(self.head)
        if room > 0:
            self.head.extend(chunk[:room])
            chunk = chunk[room:]
        if not chunk:
            return
        self.tail.append(chunk)
        self.tail_size += len(chunk)
        while self.tail and self.tail_size - len(self.tail[0]) >= self.tail_budget:
            self.tail_size -= len(self.tail.popleft())

    def set_tail(self, data: bytes) -> None:
        """Replace the tail with the stream's true end (read after the process exited)."""
        if self.truncated and data:
            self.tail = deque([data[-self.tail_budget:]])
            self.tail_size = len(self.tail[0])

    def text(self) -> str:
        tail = b"".join(self.tail)
        if len(tail) > self.tail_budget:
            tail = tail[-self.tail_budget:]
        kept = len(self.head) + len(tail)
        if kept < self.total:
            marker = f"\n[... {self.total - kept} bytes dropped by the grader's output cap ...]\n".encode()
            return (bytes(self.head) + marker + tail).decode("utf-8", "replace")
        return (bytes(self.head) + tail).decode("utf-8", "replace")

    @property
    def truncated(self) -> bool:
        return self.total > len(self.head) + min(self.tail_size, self.tail_budget)


@dataclass
class RunResult:
    """What happened when a command ran in a sandbox: the evidence every dynamic check reads."""

    backend: str
    label: str
    command: tuple[str, ...]
    status: str
    exit_code: int | None
    duration_s: float
    timed_out: bool = False
    oom_killed: bool = False
    peak_memory_bytes: int | None = None
    stdout: str = ""
    stderr: str = ""
    stdout_bytes: int = 0  # bytes received; a lower bound when the engine rotated a log bomb away
    stderr_bytes: int = 0
    output_truncated: bool = False
    output_dir: Path | None = None  # host copy of what the command wrote to output/
    output_files: list[str] = field(default_factory=list)
    output_findings: list[str] = field(default_factory=list)  # what copy-out refused: sparse, special, over the cap
    error: str | None = None
    limits: Limits = field(default_factory=Limits)
    security_boundary: bool = True
    notes: list[str] = field(default_factory=list)
    trace: list[dict] | None = None  # tracer events; None when the run was not traced
    trace_problems: list[str] = field(default_factory=list)
    trace_untraced: list[str] = field(default_factory=list)  # Python processes seen running that never reported

    @property
    def succeeded(self) -> bool:
        return self.status == STATUS_COMPLETED

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of stderr (or stdout when stderr is empty): where a crash explains itself."""
        text = self.stderr.strip() or self.stdout.strip()
        return "\n".join(text.splitlines()[-lines:])


class Sandbox(Protocol):
    """A place to run untrusted commands: Docker (the real one) or a local subprocess (sandbox/registry.py)."""

    name: str
    security_boundary: bool  # False: the run's report says it ran unconfined

    def available(self) -> str | None:
        """None when the backend can run; otherwise why not."""

    def prepare(self, log: Callable[[str], None]) -> str | None:
        """Build what runs need on first use (the runner image, the local environment); the reason it cannot."""

    def remove_leftovers(self) -> int:
        """Remove what runs of a killed grader left behind; how many things were removed."""

    def run(self, spec: RunSpec, artifacts_dir: Path) -> RunResult:
        """Run spec.command; copy what it wrote to output/ under artifacts_dir."""
