"""The per-submission flow: intake -> sandbox run -> checks -> rubric -> report (SPEC §5)."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from checks import CATALOGUE
from checks.base import Evidence
from checks.context import CheckContext
from grader.intake import IntakeError, Workspace, take_in
from grader.packs import Pack
from grader.rubric import Rubric, Score, load_rubric, score
from sandbox.base import STATUS_ERROR, RunResult, RunSpec, Sandbox


@dataclass
class Grading:
    """Everything one grading produced; the reports are views of it."""

    source: Path
    pack: Pack
    rubric: Rubric
    workspace: Workspace | None
    runs: list[RunResult]
    evidence: list[Evidence]
    score: Score | None
    timings: dict[str, float]
    error: str | None = None  # the submission could not be graded at all (e.g. a corrupt archive)
    notes: list[str] = field(default_factory=list)


def run_pipeline(ws: Workspace, pack: Pack, sandbox: Sandbox, scratch: Path) -> RunResult:
    """Run the submission's run.sh in the sandbox with the pack's data (never its labels)."""
    data_dir = pack.stage_data(scratch / "data")
    spec = RunSpec(submission_dir=ws.root, data_dir=data_dir, command=("bash", "run.sh"), limits=pack.limits,
                   label="submitted run")
    return sandbox.run(spec, scratch / "artifacts")


def gather_evidence(ctx: CheckContext) -> list[Evidence]:
    return [check_class()(ctx) for check_class in CATALOGUE]


def grade(source: Path, pack: Pack, sandbox: Sandbox | None, keep_dir: Path | None = None,
          progress: Callable[[str], None] = lambda _msg: None) -> Grading:
    """Grade one submission. Problems of the submission become evidence; only grader bugs raise."""
    rubric = load_rubric(known_codes={c.code for c in CATALOGUE})
    timings: dict[str, float] = {}
    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="aie-grade-"))
    try:
        progress("intake")
        try:
            ws = take_in(source, scratch / "intake")
        except IntakeError as exc:
            return Grading(source, pack, rubric, None, [], [], None, {"total_s": time.monotonic() - started},
                           error=str(exc))
        timings["intake_s"] = round(time.monotonic() - started, 3)
        runs: list[RunResult] = []
        if sandbox is not None and ws.run_script:
            progress(f"running the pipeline in the {sandbox.name} sandbox")
            t0 = time.monotonic()
            runs.append(run_pipeline(ws, pack, sandbox, scratch))
            timings["run_s"] = round(time.monotonic() - t0, 3)
        elif sandbox is not None:
            runs.append(RunResult(backend=sandbox.name, label="submitted run", command=("bash", "run.sh"),
                                  status=STATUS_ERROR, exit_code=None, duration_s=0.0,
                                  error="run.sh is missing: nothing to run"))
        progress("checks")
        t0 = time.monotonic()
        ctx = CheckContext(
            root=ws.root, python_files=ws.python_files, notebooks=ws.notebooks, readme=ws.readme,
            run_script=ws.run_script, requirement_files=ws.requirement_files, all_files=ws.all_files,
            dataset_file=pack.dataset_file, dataset_columns=pack.columns,
            target=pack.target, run=runs[0] if runs else None,
            heldout=pack.heldout_task() if pack.heldout_mode == "predictions" else None,
            settings={"min_models": pack.min_models},
        )
        evidence = gather_evidence(ctx)
        timings["checks_s"] = round(time.monotonic() - t0, 3)
        result = score(rubric, {e.code: e for e in evidence}, pack.pass_rule, pack.weights)
        timings["total_s"] = round(time.monotonic() - started, 3)
        grading = Grading(source, pack, rubric, ws, runs, evidence, result, timings)
        if keep_dir is not None:
            _keep_artifacts(runs, keep_dir)
        return grading
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _keep_artifacts(runs: list[RunResult], keep_dir: Path) -> None:
    """Copy each run's output files next to the report, so the assessor can open them."""
    for index, run in enumerate(runs):
        if run.output_dir is None or not run.output_dir.is_dir():
            continue
        target = keep_dir / "runs" / f"{index}-{run.label.replace(' ', '-')}" / "output"
        shutil.copytree(run.output_dir, target, dirs_exist_ok=True)
        run.output_dir = target
