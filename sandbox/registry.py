"""Choosing and opening the sandbox backend, for `grader check` and for each batch worker."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

from sandbox.base import NOT_A_BOUNDARY, Sandbox

BACKENDS = ("auto", "docker", "local", "none")


@dataclass
class Opened:
    """The sandbox (None: static grading only), why none could be opened, and what the user must be told."""

    sandbox: Sandbox | None
    problem: str | None = None
    warning: str | None = None


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _open_local(warning: str, log: Callable[[str], None]) -> Opened:
    try:
        from sandbox.local_backend import LocalSandbox
    except ImportError as exc:  # Windows: no rlimits, no setpriv
        return Opened(None, problem=f"the local runner needs Linux or macOS ({exc}); start Docker Desktop and use "
                                    "--backend docker")

    sandbox = LocalSandbox()
    problem = sandbox.prepare(log)
    return Opened(None, problem=problem) if problem else Opened(sandbox, warning=warning)


def open_sandbox(backend: str, log: Callable[[str], None] = _to_stderr) -> Opened:
    """`auto` takes Docker when an engine answers and otherwise the local runner, saying so. What is built on
    first use (the runner image, the local runner's environment) is built here, announced through `log`."""
    if backend == "none":  # nothing of the submission runs, but the static phase runs in the local runner
        opened = _open_local("", log)
        return Opened(None, warning=opened.problem and f"{opened.problem}: the static checks cannot run")
    from sandbox.docker_backend import DockerSandbox

    if backend == "local":
        return _open_local(NOT_A_BOUNDARY, log)
    sandbox = DockerSandbox()
    problem = sandbox.available()
    if problem and backend == "auto":
        return _open_local(f"{problem}; using the local runner instead. {NOT_A_BOUNDARY}", log)
    if problem:
        return Opened(None, problem=(f"{problem}. Start the Docker engine (see README), or pass --backend local (not a "
                                     "security boundary) or --backend none to grade statically without running the "
                                     "pipeline."))
    try:
        sandbox.image(log)
    except Exception as exc:  # noqa: BLE001 - a failed image build leaves nothing to run in
        return Opened(None, problem=f"the runner image could not be built: {exc}")
    sandbox.remove_leftovers()
    return Opened(sandbox)
