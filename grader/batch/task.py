"""One submission's grading as a self-contained task: what a local process or a Dask worker runs.

The task carries paths and options only; the outcome carries everything back (report, files as tar.gz bytes, the code
for the similarity check), so the batch's output folder need not be shared with the workers.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from grader.run.dynamic import DynamicOptions

GRADED, NOT_GRADED, GRADER_ERROR = "graded", "not_graded", "grader_error"
MAX_ARTIFACT_BYTES = 20_000_000  # run outputs (predictions, models) kept per submission in a batch


@dataclass(frozen=True)
class GradeTask:
    """Grade `location` as `candidate` under the given pack and options."""

    candidate: str
    location: str
    key: str
    pack_spec: str | None
    pack_hash: str
    backend: str
    options: DynamicOptions
    max_artifact_bytes: int = MAX_ARTIFACT_BYTES
    keep_code: bool = True  # for the cohort's similarity check


@dataclass
class TaskOutcome:
    """What came back from a worker: the outcome, the report, the files to commit, and where and how long."""

    candidate: str
    key: str
    outcome: str  # GRADED | NOT_GRADED (the submission itself could not be graded) | GRADER_ERROR (retried next run)
    report: dict | None = None
    files: bytes | None = None
    skipped_files: list[str] = field(default_factory=list)
    code: dict | None = None
    error: str | None = None
    host: str = ""
    wall_s: float = 0.0
    pipeline_s: float | None = None
    warnings: list[str] = field(default_factory=list)


_SANDBOXES: dict[str, object] = {}
_PACKS: dict[str | None, tuple[object, str]] = {}
_LOCK = threading.Lock()


def _opened(backend: str):
    """One sandbox per backend per worker process (opening Docker checks the engine and the image once)."""
    from sandbox.registry import open_sandbox

    with _LOCK:
        if backend not in _SANDBOXES:
            _SANDBOXES[backend] = open_sandbox(backend)
        return _SANDBOXES[backend]


def _pack(spec: str | None):
    from grader.packs import resolve_pack

    with _LOCK:
        if spec not in _PACKS:
            pack = resolve_pack(spec)
            _PACKS[spec] = (pack, pack_hash(pack))
        return _PACKS[spec]


def pack_hash(pack) -> str:
    """The pack's files and the held-out mode it is graded in: a result of the other mode is not reused."""
    from grader.batch.store import content_hash

    return f"{content_hash(pack.root)}:{pack.heldout_mode}"


def pipeline_seconds(report: dict) -> float | None:
    """How long the candidate's own pipeline ran (the submitted run), the part of a grading the grader does not own."""
    runs = [r for r in report.get("runs", []) if r.get("label") == "submitted"] or report.get("runs", [])[:1]
    return float(runs[0]["duration_s"]) if runs and runs[0].get("duration_s") is not None else None


def grade_task(task: GradeTask) -> TaskOutcome:
    """Grade one submission; never raises: a grader failure is an outcome that the next run retries."""
    started = time.monotonic()
    host = f"{socket.gethostname()}:{os.getpid()}"
    try:
        return _grade(task, host, started)
    except Exception as exc:  # noqa: BLE001 - a grader bug on one submission must not stop the cohort
        detail = "".join(traceback.format_exception(exc)[-6:])
        return TaskOutcome(task.candidate, task.key, GRADER_ERROR, error=f"grader failure: {exc!r}\n{detail}",
                           host=host, wall_s=round(time.monotonic() - started, 3))


def _grade(task: GradeTask, host: str, started: float) -> TaskOutcome:
    from grader.batch.store import pack_folder
    from grader.grade import grade
    from grader.reports.writers import write_reports

    location = Path(task.location)
    if not location.exists():
        return TaskOutcome(task.candidate, task.key, GRADER_ERROR, host=host,
                           error=f"{location}: not reachable from {host.split(':')[0]}; on a cluster the submissions "
                                 "must be on a path every worker mounts")
    pack, local_pack_hash = _pack(task.pack_spec)
    if local_pack_hash != task.pack_hash:
        return TaskOutcome(task.candidate, task.key, GRADER_ERROR, host=host,
                           error=f"the assessment pack at {pack.root} on {host.split(':')[0]} differs from the "
                                 "batch's pack (content hash); workers must have the same pack")
    opened = _opened(task.backend)
    if opened.problem:
        return TaskOutcome(task.candidate, task.key, GRADER_ERROR, host=host,
                           error=f"no sandbox on {host.split(':')[0]}: {opened.problem}")
    folder = Path(tempfile.mkdtemp(prefix=f"aie-batch-{task.candidate}-"))
    try:
        grading = grade(location, pack, opened.sandbox, keep_dir=folder, options=task.options,
                        keep_code=task.keep_code)
        report, warnings = write_reports(grading, folder)
        if opened.warning:
            warnings.append(opened.warning)
        files, skipped = pack_folder(folder, task.max_artifact_bytes)
        code = None
        if grading.code is not None:
            from grader.similarity import SubmissionCode

            code = SubmissionCode(task.candidate, grading.code).to_dict()
        return TaskOutcome(task.candidate, task.key, GRADED if report["status"] == "graded" else NOT_GRADED,
                           report=report, files=files, skipped_files=skipped, code=code, error=report.get("error"),
                           host=host, wall_s=round(time.monotonic() - started, 3), pipeline_s=pipeline_seconds(report),
                           warnings=warnings)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
