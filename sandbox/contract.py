"""What every backend owes the in-sandbox tools (sandbox/tools/) and the grader, written once.

The contract with the tools: the run's settings (run.json) for the start-up hook, the trace socket, the
data and env-layer variables, the {tools} placeholder and the offline pip variables. The result: the
status of a run, its logs under the cap, the copy of output/ and the trace, put on one RunResult.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sandbox.base import (
    OFFLINE_PIP,
    STATUS_COMPLETED,
    STATUS_ERROR,
    STATUS_FAILED,
    STATUS_OOM,
    STATUS_TIMEOUT,
    RunResult,
    RunSpec,
    StreamCapture,
    expand_tools,
)
from sandbox.files import copy_outputs, data_file_names, record_outputs
from sandbox.trace import TraceSession, write_run_config


@dataclass(frozen=True)
class Inside:
    """Where a backend put the contract's pieces, as paths the sandboxed processes see."""

    tools: str  # sandbox/tools: what the {tools} placeholder becomes
    data_dir: str  # the run's writable copy of the round's data
    run_dir: str  # the grader's read-only directory of run.json and the trace socket
    env_layer: str | None = None  # the installed requirements, when the spec has a layer
    sitecustomize: bool = False  # the hook loads through tools/site on PYTHONPATH and $AIE_RUN_CONFIG


@dataclass
class Prepared:
    """A run's environment and command as the tools expect them, and its trace session (None: untraced)."""

    environment: dict[str, str]
    command: list[str]
    session: TraceSession | None = None


def prepare(spec: RunSpec, run_dir: Path, inside: Inside, own: dict[str, str]) -> Prepared:
    """Write run.json, open the trace socket when traced; the backend's `own` variables, then the contract's,
    then the spec's (with {tools} expanded) win in that order."""
    config: dict[str, object] = {"data_dir": inside.data_dir, "data_files": data_file_names(spec.data_dir)}
    environment = {**own, "OMP_NUM_THREADS": str(max(1, int(spec.limits.cpus))), "PYTHONHASHSEED": "0",
                   "AIE_DATA_DIR": inside.data_dir, **OFFLINE_PIP}
    session = None
    if spec.trace:
        session = TraceSession(run_dir)
        config["trace_socket"] = f"{inside.run_dir}/{session.socket_path.name}"
    if spec.env_layer is not None and inside.env_layer is not None:
        environment["AIE_ENV_LAYER"] = inside.env_layer
        config["env_layer"] = inside.env_layer
    written = write_run_config(run_dir, config)
    if inside.sitecustomize:  # tools/site/sitecustomize.py reads $AIE_RUN_CONFIG
        environment["PYTHONPATH"] = f"{inside.tools}/site"
        environment["AIE_RUN_CONFIG"] = f"{inside.run_dir}/{written.name}"
    environment.update({key: expand_tools((value,), inside.tools)[0] for key, value in spec.env})
    return Prepared(environment, expand_tools(spec.command, inside.tools), session)


def status_of(exit_code: int | None, timed_out: bool, out_of_memory: bool) -> str:
    """The run's status: the wall-clock kill first, then the memory limit, then the exit code."""
    if timed_out:
        return STATUS_TIMEOUT
    if out_of_memory:
        return STATUS_OOM
    if exit_code == 0:
        return STATUS_COMPLETED
    return STATUS_FAILED


class Recorder:
    """One run's result as it comes in: the log captures under the cap, the clock, the trace session."""

    def __init__(self, backend: str, spec: RunSpec, security_boundary: bool = True,
                 notes: list[str] | None = None) -> None:
        self.result = RunResult(backend=backend, label=spec.label, command=spec.command, status=STATUS_ERROR,
                                exit_code=None, duration_s=0.0, limits=spec.limits,
                                security_boundary=security_boundary, notes=list(notes or []))
        self.spec = spec
        self.stdout = StreamCapture(spec.limits.log_bytes)
        self.stderr = StreamCapture(spec.limits.log_bytes)
        self.started = time.monotonic()
        self.session: TraceSession | None = None
        self._logs_taken = False

    def prepare(self, run_dir: Path, inside: Inside, own: dict[str, str]) -> Prepared:
        """The contract's environment and command for this run (see `prepare`); keeps its trace session."""
        prepared = prepare(self.spec, run_dir, inside, own)
        self.session = prepared.session
        return prepared

    def watch(self, list_pids: Callable[[], Iterator[int] | list[int]]) -> None:
        """Start sampling the run's processes for the trace (once they exist); nothing when untraced."""
        if self.session is not None:
            self.session.watch(list_pids)

    def abort(self, error: str) -> RunResult:
        """The sandbox could not start the command: an error result, with the trace closed."""
        self.result.error = error
        self.result.duration_s = round(time.monotonic() - self.started, 3)
        self._finish_trace()
        return self.result

    def take_logs(self) -> RunResult:
        """Stop the clock and put the capped logs on the result (once; later calls keep the first)."""
        if not self._logs_taken:
            self._logs_taken = True
            result = self.result
            result.duration_s = round(time.monotonic() - self.started, 3)
            result.stdout, result.stderr = self.stdout.text(), self.stderr.text()
            result.stdout_bytes, result.stderr_bytes = self.stdout.total, self.stderr.total
            result.output_truncated = self.stdout.truncated or self.stderr.truncated
        return self.result

    def finish(self, output: Path, artifacts_dir: Path) -> RunResult:
        """The logs, the copy of what the run wrote to `output` into artifacts_dir/output, and the trace."""
        result = self.take_logs()
        result.output_dir = artifacts_dir / "output"
        record_outputs(result, copy_outputs(output, result.output_dir, result.limits.output_copy_mb * 1024 * 1024))
        self._finish_trace()
        return result

    def _finish_trace(self) -> None:
        if self.session is not None:
            self.session.finish(self.result)
