"""The sandbox backends by name, and opening one for `grader check` and for each batch worker.

A backend's module is imported only when it is opened: the local runner's needs POSIX-only modules, which
a Docker user on Windows does not have. `auto` and `none` are modes of the registry, not backends.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

from sandbox.base import NOT_A_BOUNDARY, Sandbox

AUTO = "auto"  # the first available backend of AUTO_ORDER; the last one is the fallback, announced
NONE = "none"  # nothing of the submission runs; the static phase still runs in STATIC_BACKEND
AUTO_DESCRIPTION = "Docker when an engine answers, else the local runner"
NONE_DESCRIPTION = "static analysis only, recorded as not run"


def _docker() -> Sandbox:
    from sandbox.docker_backend import DockerSandbox

    return DockerSandbox()


def _local() -> Sandbox:
    from sandbox.local_backend import LocalSandbox  # POSIX only: imported where it runs, not on Windows + Docker

    return LocalSandbox()


@dataclass(frozen=True)
class Backend:
    """One backend: how to make it, whether it confines the run, and what the user is told about it."""

    name: str
    title: str  # in messages: "using the local runner instead"
    description: str  # what --backend's help says after the name ("" : the name says it)
    security_boundary: bool
    factory: Callable[[], Sandbox]
    unloadable: str  # the problem when its module cannot be imported here; {exc} is the ImportError
    unavailable: str = "{problem}"  # the problem when chosen by name and unavailable; {problem} is why

    @property
    def warning(self) -> str | None:
        """What the user is told whenever this backend runs a submission."""
        return None if self.security_boundary else NOT_A_BOUNDARY


BACKENDS: dict[str, Backend] = {backend.name: backend for backend in (
    Backend("docker", "Docker", "", True, _docker,
            unloadable="the Docker backend cannot be loaded ({exc})",
            unavailable=("{problem}. Start the Docker engine (see README), or pass --backend local (not a security "
                         "boundary) or --backend none to grade statically without running the pipeline.")),
    Backend("local", "the local runner", "a local subprocess with limits (NOT a security boundary)", False, _local,
            unloadable=("the local runner needs Linux or macOS ({exc}); start Docker Desktop and use --backend "
                        "docker")),
)}
AUTO_ORDER = ("docker", "local")
STATIC_BACKEND = "local"
CHOICES = (AUTO, *BACKENDS, NONE)


@dataclass
class Opened:
    """The sandbox (None: static grading only), why none could be opened, and what the user must be told."""

    sandbox: Sandbox | None
    problem: str | None = None
    warning: str | None = None


def backend_help() -> str:
    """The --backend option's help: every mode and backend with its description."""
    parts = [f"{AUTO} = {AUTO_DESCRIPTION}"]
    parts += [f"{b.name} = {b.description}" if b.description else b.name for b in BACKENDS.values()]
    parts.append(f"{NONE} = {NONE_DESCRIPTION}")
    return "where pipelines run: " + "; ".join(parts)


def static_runner() -> Sandbox:
    """Where the static phase runs when the grading has no sandbox (--backend none)."""
    return BACKENDS[STATIC_BACKEND].factory()


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _load(backend: Backend) -> tuple[Sandbox | None, str | None]:
    """The backend's sandbox, or None and the problem when its module cannot be imported on this machine."""
    try:
        return backend.factory(), None
    except ImportError as exc:
        return None, backend.unloadable.format(exc=exc)


def _ready(backend: Backend, sandbox: Sandbox, log: Callable[[str], None], warning: str | None) -> Opened:
    """Build what the backend needs (announced through `log`) and clear what killed runs left behind."""
    problem = sandbox.prepare(log)
    if problem:
        return Opened(None, problem=problem)
    sandbox.remove_leftovers()
    return Opened(sandbox, warning=backend.warning if warning is None else warning)


def _open(backend: Backend, log: Callable[[str], None], warning: str | None = None) -> Opened:
    sandbox, problem = _load(backend)
    if sandbox is None:
        return Opened(None, problem=problem)
    problem = sandbox.available()
    if problem:
        return Opened(None, problem=backend.unavailable.format(problem=problem))
    return _ready(backend, sandbox, log, warning)


def _open_auto(log: Callable[[str], None]) -> Opened:
    reasons = []
    for name in AUTO_ORDER[:-1]:
        backend = BACKENDS[name]
        sandbox, problem = _load(backend)
        problem = problem or (sandbox.available() if sandbox is not None else None)
        if sandbox is not None and not problem:
            return _ready(backend, sandbox, log, None)
        reasons.append(problem)
    fallback = BACKENDS[AUTO_ORDER[-1]]
    said = f"{'; '.join(reasons)}; using {fallback.title} instead." if reasons else None
    return _open(fallback, log, " ".join(part for part in (said, fallback.warning) if part) or None)


def open_sandbox(backend: str, log: Callable[[str], None] = _to_stderr) -> Opened:
    """`auto` takes Docker when an engine answers and otherwise the local runner, saying so. What is built on
    first use (the runner image, the local runner's environment) is built here, announced through `log`."""
    if backend == NONE:  # nothing of the submission runs, but the static phase runs in the local runner
        opened = _open(BACKENDS[STATIC_BACKEND], log)
        return Opened(None, warning=opened.problem and f"{opened.problem}: the static checks cannot run")
    if backend == AUTO:
        return _open_auto(log)
    if backend not in BACKENDS:
        raise ValueError(f"unknown sandbox backend {backend!r}: one of {', '.join(CHOICES)}")
    return _open(BACKENDS[backend], log)
