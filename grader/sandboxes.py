"""Choosing and opening the sandbox backend, for `grader check` and for each batch worker."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.base import Sandbox

BACKENDS = ("auto", "docker", "local", "none")


@dataclass
class Opened:
    """The sandbox (None: static grading only), why none could be opened, and what the user must be told."""

    sandbox: Sandbox | None
    problem: str | None = None
    warning: str | None = None


def open_sandbox(backend: str) -> Opened:
    """`auto` takes Docker when an engine answers and otherwise the local runner, saying so."""
    if backend == "none":
        return Opened(None)
    from sandbox.docker_backend import DockerSandbox
    from sandbox.local_backend import NOT_A_BOUNDARY, LocalSandbox

    if backend == "local":
        return Opened(LocalSandbox(), warning=NOT_A_BOUNDARY)
    sandbox = DockerSandbox()
    problem = sandbox.available()
    if problem and backend == "auto":
        return Opened(LocalSandbox(), warning=f"{problem}; using the local runner instead. {NOT_A_BOUNDARY}")
    if problem:
        return Opened(None, problem=(f"{problem}. Start the Docker engine (see README), or pass --backend local (not a "
                                     "security boundary) or --backend none to grade statically without running the "
                                     "pipeline."))
    try:
        sandbox.image()
    except Exception as exc:  # noqa: BLE001 - a failed image build leaves nothing to run in
        return Opened(None, problem=f"the runner image could not be built: {exc}")
    sandbox.remove_leftovers()
    return Opened(sandbox)
