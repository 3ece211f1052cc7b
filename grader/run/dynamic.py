"""Everything the grader runs in the sandbox for one submission (issue 5), in one place.

The submitted run (traced); an assisted re-run when it failed for a recognised mechanical reason;
the robustness probes; the EDA notebook's re-execution; an optional repeat run for reproducibility.
Each step is timed, so the report can say what every dynamic check costs.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from checks.runs import run_outcome
from grader.intake.workspace import Workspace
from grader.packs import Pack
from grader.packs.probes import PROBES, probe_detail, stage_probe
from grader.run.assist import AssistPlan, plan_repairs, read_small_text
from grader.run.requirements import describe, parse_requirements, prepare_layer
from sandbox.base import STATUS_ERROR, Limits, RunResult, RunSpec, Sandbox
from sandbox.notebook import notebook_notes, notebook_spec, pick_eda_notebook

MAX_ASSISTED_RUNS = 3
ASSIST_COMMAND = ("python3", "-S", "{tools}/aie_assist.py")
PROBE_MIN_TIMEOUT_S = 60.0  # a probe that should still predict gets at least this
PROBE_FAST_MIN_S, PROBE_FAST_MAX_S = 20.0, 120.0  # a probe that should fail fast (no data)
PROBE_SLACK_S = 30.0
PROBE_FLOOR_S = 5.0  # less budget than this left: the probe is not started
HANG_FACTOR = 1.5  # a probe killed after running this much longer than the real run did has hung
RUN_SCRIPT_BYTES = 200_000


@dataclass
class DynamicOptions:
    """Which dynamic checks to run (the CLI and the pack decide)."""

    trace: bool = True
    probes: bool = True
    notebook: bool = True
    repeat: bool = False
    assist: bool = True
    install_requirements: bool | None = None  # None: the pack's rule
    probe_jobs: int = 2
    cache_dir: Path | None = None


@dataclass
class DynamicResult:
    submitted: RunResult | None = None
    assisted: list[RunResult] = field(default_factory=list)
    assist_reasons: list[str] = field(default_factory=list)
    evidence_run: RunResult | None = None
    probes: dict[str, RunResult] = field(default_factory=dict)
    probe_expectations: dict[str, tuple[bool, str]] = field(default_factory=dict)
    probes_skipped: str | None = None
    probes_cut: dict[str, str] = field(default_factory=dict)  # probe -> why it was cut short or not started
    notebook: RunResult | None = None
    repeat: RunResult | None = None
    environment: dict | None = None
    env_layer: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def runs(self) -> list[RunResult]:
        """Every run, in the order the report shows them."""
        runs = [r for r in (self.submitted, *self.assisted) if r is not None]
        runs += list(self.probes.values())
        runs += [r for r in (self.notebook, self.repeat) if r is not None]
        return runs


def run_dynamic(ws: Workspace, pack: Pack, sandbox: Sandbox, scratch: Path, options: DynamicOptions,
                progress: Callable[[str], None] = lambda _m: None) -> DynamicResult:
    """Run every dynamic step for one submission; failures are evidence, never exceptions."""
    result = DynamicResult()
    data_dir = pack.stage_data(scratch / "data")
    install = pack.install_requirements if options.install_requirements is None else options.install_requirements
    if ws.requirement_files:
        progress("installing the candidate's requirements" if install else "reading the candidate's requirements")
        with timing(result.timings, "requirements_s"):
            result.environment, result.env_layer = _prepare_environment(ws, options, install, pack.round_date)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # the notebook's re-execution is independent of the pipeline's runs: it overlaps them
        notebook = pool.submit(timed, _notebook, ws, sandbox, scratch, data_dir, result.env_layer, pack.limits,
                               progress) if options.notebook and ws.notebooks else None
        _pipeline_runs(ws, pack, sandbox, scratch, data_dir, options, result, progress)
        if notebook is not None:
            result.notebook, result.timings["notebook_s"] = notebook.result()
    return result


def timed(fn, *args):
    """fn(*args) and the seconds it took (for work run in a thread, whose time is reported apart)."""
    t0 = time.monotonic()
    result = fn(*args)
    return result, round(time.monotonic() - t0, 3)


@contextlib.contextmanager
def timing(timings: dict[str, float], key: str) -> Iterator[None]:
    """Record the wall time of the block under timings[key]."""
    t0 = time.monotonic()
    try:
        yield
    finally:
        timings[key] = round(time.monotonic() - t0, 3)


def _pipeline_runs(ws: Workspace, pack: Pack, sandbox: Sandbox, scratch: Path, data_dir: Path,
                   options: DynamicOptions, result: DynamicResult, progress: Callable[[str], None]) -> None:
    """The submitted run, the assisted re-runs, the probes and the repeat run, in that order."""
    if not ws.run_script:
        result.submitted = RunResult(backend=sandbox.name, label="submitted run", command=("bash", "run.sh"),
                                     status=STATUS_ERROR, exit_code=None, duration_s=0.0,
                                     error="run.sh is missing: nothing to run")
        result.evidence_run = result.submitted
        result.probes_skipped = "run.sh is missing: nothing to probe"
        return
    base = RunSpec(submission_dir=ws.root, data_dir=data_dir, command=("bash", "run.sh"), limits=pack.limits,
                   label="submitted run", trace=options.trace, env_layer=result.env_layer)
    progress(f"running the pipeline in the {sandbox.name} sandbox")
    with timing(result.timings, "run_s"):
        result.submitted = sandbox.run(base, scratch / "runs" / "submitted")
    result.evidence_run = result.submitted
    evidence_spec = base
    ok = run_outcome(result.submitted, pack.dataset_file)[0]
    if not ok and options.assist:
        with timing(result.timings, "assist_s"):
            evidence_spec = _assisted_runs(ws, pack, sandbox, scratch, base, result, progress)
    if options.probes:
        with timing(result.timings, "probes_s"):
            _probes(pack, sandbox, scratch, evidence_spec, result, options, progress)
    else:
        result.probes_skipped = "the robustness probes were switched off (--no-probes)"
    if options.repeat and result.evidence_run is not None and run_outcome(result.evidence_run, pack.dataset_file)[0]:
        progress("running the pipeline a second time (reproducibility)")
        with timing(result.timings, "repeat_s"):
            result.repeat = sandbox.run(replace(evidence_spec, label="repeat run (reproducibility)", trace=False),
                                        scratch / "runs" / "repeat")


def _assisted_runs(ws: Workspace, pack: Pack, sandbox: Sandbox, scratch: Path, base: RunSpec,
                   result: DynamicResult, progress: Callable[[str], None]) -> RunSpec:
    """Repair recognised mechanical failures, one more each time, up to MAX_ASSISTED_RUNS runs."""
    plan = AssistPlan()
    last = result.submitted
    spec = base
    data_names = (Path(pack.dataset_file).name, pack.holdout_mount_name)
    script = read_small_text(ws.root, ws.run_script or "run.sh", RUN_SCRIPT_BYTES)
    for attempt in range(1, MAX_ASSISTED_RUNS + 1):
        found = plan_repairs(ws.root, ws.all_files, script, last, data_names)
        if not plan.merge(found):
            break
        progress(f"assisted re-run {attempt}: " + "; ".join(plan.reasons[-2:]))
        spec = replace(base, command=ASSIST_COMMAND, label=f"assisted re-run {attempt}",
                       env=(("AIE_ASSIST_PLAN", json.dumps(plan.as_json())),))
        last = sandbox.run(spec, scratch / "runs" / f"assisted-{attempt}")
        last.notes.append("ASSISTED: repaired by the grader, not as submitted: " + "; ".join(plan.reasons))
        result.assisted.append(last)
        result.assist_reasons = list(plan.reasons)
        if run_outcome(last, pack.dataset_file)[0]:
            result.evidence_run = last
            return spec
    return base


def _probes(pack: Pack, sandbox: Sandbox, scratch: Path, spec: RunSpec, result: DynamicResult,
            options: DynamicOptions, progress: Callable[[str], None]) -> None:
    """The robustness probes within a budget set by the real run's duration: those that should fail fast first."""
    evidence = result.evidence_run
    if evidence is None or evidence.status == STATUS_ERROR:
        result.probes_skipped = "the pipeline could not be started, so it was not probed"
        return
    took = evidence.duration_s if not evidence.timed_out else pack.limits.timeout_s
    budget = ProbeBudget.for_run(pack, took)
    progress(f"robustness probes ({len(PROBES)}, {budget.total_s:.0f} s in all at most)")
    ordered = sorted(PROBES, key=lambda probe: probe.expects_output)  # fail-fast ones first: they are short

    def one(probe):
        limit = budget.limit(probe)
        if limit < PROBE_FLOOR_S:
            return probe, None
        data = stage_probe(pack, probe, scratch / "probes" / probe.name / "data")
        run_spec = replace(spec, data_dir=data, limits=replace(pack.limits, timeout_s=limit), trace=False,
                           label=f"probe: {probe.name}")
        return probe, sandbox.run(run_spec, scratch / "probes" / probe.name / "artifacts")

    with ThreadPoolExecutor(max_workers=max(1, options.probe_jobs)) as pool:
        for probe, run in pool.map(one, ordered):
            result.probe_expectations[probe.name] = (probe.expects_output, probe_detail(pack, probe))
            if run is None:
                result.probes_cut[probe.name] = f"not run: the probes' time budget ({budget.total_s:.0f} s) was spent"
                continue
            result.probes[probe.name] = run
            if run.timed_out and run.limits.timeout_s < HANG_FACTOR * took:
                result.probes_cut[probe.name] = (
                    f"cut short at {run.limits.timeout_s:.0f} s by the probes' time budget (the real run took "
                    f"{took:.0f} s): not judged")
                run.notes.append("CUT SHORT: " + result.probes_cut[probe.name])


@dataclass
class ProbeBudget:
    """Probes cost at most about the real run's own duration again, plus a little: not one full run per probe.

    Probes that should fail fast (no data) get a short limit; those that should still predict get the
    real run's duration with some slack; all share one wall-clock deadline.
    """

    fast_s: float
    full_s: float
    total_s: float
    deadline: float = 0.0

    @classmethod
    def for_run(cls, pack: Pack, took_s: float) -> ProbeBudget:
        cap = pack.limits.timeout_s
        fast = min(cap, max(PROBE_FAST_MIN_S, min(PROBE_FAST_MAX_S, 0.2 * took_s)))
        full = min(cap, max(PROBE_MIN_TIMEOUT_S, 1.25 * took_s + 15))
        total = fast + full + PROBE_SLACK_S
        return cls(fast, full, total, time.monotonic() + total)

    def limit(self, probe) -> float:
        own = self.full_s if probe.expects_output else self.fast_s
        return max(0.0, min(own, self.deadline - time.monotonic()))


def _notebook(ws: Workspace, sandbox: Sandbox, scratch: Path, data_dir: Path, env_layer: Path | None,
              limits: Limits, progress: Callable[[str], None]) -> RunResult | None:
    """Re-execute the EDA notebook top to bottom in the sandbox (its own time limits: sandbox/notebook.py)."""
    notebook = pick_eda_notebook(ws.notebooks)
    if notebook is None:
        return None
    progress(f"re-executing {notebook} in the sandbox")
    spec = replace(notebook_spec(ws.root, data_dir, notebook, limits), env_layer=env_layer)
    run = sandbox.run(spec, scratch / "runs" / "notebook")
    run.notes.extend(notebook_notes(run))  # e.g. the data placed where the notebook reads it
    return run


def _prepare_environment(ws: Workspace, options: DynamicOptions, install: bool,
                         round_date: str | None = None) -> tuple[dict | None, Path | None]:
    """Read the requirement files; when installing, resolve them as one set (as of the round's date) into a layer."""
    from sandbox.cache import cache_root as _cache_root

    try:
        reqs = parse_requirements(ws.root, ws.requirement_files)
        if not install:
            return describe(reqs), None
        layer = prepare_layer(reqs, options.cache_dir or (_cache_root() / "requirements"), log=lambda _m: None,
                              as_of=round_date)
    except Exception as exc:  # noqa: BLE001 - the run goes on with the runner's libraries, and the report says why
        return {"error": f"reading or installing the requirements failed: {type(exc).__name__}: {exc}"}, None
    return layer.to_dict(), layer.path
