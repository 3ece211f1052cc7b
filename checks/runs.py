"""Facts of a sandbox run that several checks and the dynamic stage read: did it really succeed, and why not."""

from __future__ import annotations

from pathlib import PurePosixPath

from checks.trace import TOY, UNVERIFIED, reads_provided_db, run_data_use, trace_started
from sandbox.base import RunResult

TRACEBACK = "Traceback (most recent call last)"


def run_outcome(run: RunResult, dataset_file: str) -> tuple[bool, str]:
    """Did the run really succeed? Exit 0 is not enough (issue 5 item 3): no uncaught traceback in the log,
    and, when the run was traced, the provided training database opened and rows read from it, and the model
    trained and evaluated on those rows, not on a toy frame (issue 14 item 4, checks.trace.data_use)."""
    log = run.stdout + "\n" + run.stderr
    traceback = TRACEBACK in log
    traced = trace_started(run.trace or [])
    name = PurePosixPath(dataset_file).name
    read = reads_provided_db(run.trace or [], dataset_file)
    if run.error:
        return False, f"the sandbox could not run it: {run.error}"
    if run.timed_out:
        return False, f"killed at the {run.limits.timeout_s:.0f} s time limit"
    if run.oom_killed:
        return False, f"killed at the {run.limits.memory_mb} MB memory limit"
    if not run.succeeded:
        return False, f"failed with exit code {run.exit_code}"
    if traceback:
        return False, "exited 0 but its log holds an uncaught traceback (a swallowed crash)"
    if traced and not read:
        return False, (f"exited 0 but never read rows from the provided {name} (toy data or a wrong path "
                       "silently used?)")
    if not traced:
        return True, "ran end to end (exit 0, no traceback) (the tracer did not load: the data source is unverified)"
    use = run_data_use(run, dataset_file)
    if use.verdict == TOY:
        return False, f"exited 0 but {use.reason} (faked work, marking guide §1.6)"
    unverified = f"; the training rows are unverified: {use.reason}" if use.verdict == UNVERIFIED else ""
    return True, f"ran end to end (exit 0, no traceback, read {name}){unverified}"
