"""The per-submission flow: intake -> sandbox run -> checks -> rubric -> report (SPEC §5)."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from checks import CATALOGUE, declared_metrics
from checks.base import Evidence
from checks.context import CheckContext
from checks.reconcile import reconcile_evidence
from grader.intake.workspace import IntakeError, Workspace, take_in
from grader.packs import Pack
from grader.rubric import Rubric, Score, load_rubric, score
from grader.run.dynamic import DynamicOptions, DynamicResult, run_dynamic, timed
from grader.run.static_phase import StaticPhase, run_static_phase
from sandbox.base import RunResult, Sandbox


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
    excerpts: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # "path:line" -> numbered lines
    plots: list[dict] = field(default_factory=list)  # notebook images for the HTML report
    code: list | None = None  # the code units for the cohort's similarity check (batch grading only)


MAX_EXCERPTS = 300
EXCERPT_CONTEXT = 3
MAX_PLOTS = 16
MAX_PLOT_BYTES = 400_000


def collect_excerpts(root: Path, evidence: list[Evidence]) -> dict[str, list[tuple[int, str]]]:
    """The code around every file:line location, read while the workspace still exists."""
    excerpts: dict[str, list[tuple[int, str]]] = {}
    cache: dict[str, list[str] | None] = {}
    for item in evidence:
        for loc in item.locations:
            key = f"{loc.path}:{loc.line}"
            if not loc.line or key in excerpts or len(excerpts) >= MAX_EXCERPTS or loc.path.endswith(".ipynb"):
                continue
            if loc.path not in cache:
                path = root / loc.path
                ok = path.is_file() and not path.is_symlink() and path.stat().st_size < 1_000_000
                cache[loc.path] = path.read_text(encoding="utf-8", errors="replace").splitlines() if ok else None
            lines = cache[loc.path]
            if lines is None:
                continue
            start = max(1, loc.line - EXCERPT_CONTEXT)
            end = min(len(lines), loc.line + EXCERPT_CONTEXT)
            excerpts[key] = [(n, lines[n - 1][:200]) for n in range(start, end + 1)]
    return excerpts


def collect_plots(root: Path, notebooks: list[str], skip_cells: frozenset[int] = frozenset()) -> list[dict]:
    """Rendered images stored in the EDA notebook (base64 PNG/JPEG), capped in number and size.

    skip_cells: cells whose stored output the re-execution did not reproduce (EDA001): not shown as plots."""
    import nbformat

    from checks.notebooks import IMAGE_TYPES

    plots: list[dict] = []
    for rel in notebooks[:1] if notebooks else []:
        path = root / rel
        if path.stat().st_size > 50_000_000:
            continue
        try:
            nb = nbformat.reads(path.read_text(encoding="utf-8", errors="replace"), as_version=4)
        except Exception:  # noqa: BLE001 - an unreadable notebook is already a finding of the EDA checks
            continue
        for number, cell in enumerate(nb.cells, start=1):
            if number in skip_cells:
                continue
            for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
                for kind in IMAGE_TYPES[:2]:
                    data = (output.get("data") or {}).get(kind)
                    if isinstance(data, str) and len(data) <= MAX_PLOT_BYTES and len(plots) < MAX_PLOTS:
                        plots.append({"notebook": rel, "cell": number, "mime": kind, "data": data.replace("\n", "")})
    return plots


def check_context(ws: Workspace, pack: Pack, dynamic: DynamicResult | None = None) -> CheckContext:
    """What the checks read for one submission graded against one pack: its files, the pack, and the sandbox runs
    when `dynamic` is given (the static phase starts before any run, so it gets the context without them)."""
    runs = dynamic or DynamicResult()
    settings = {"min_models": pack.min_models, "heldout_mode": pack.heldout_mode, "task": pack.task,
                "primary_metric": pack.primary_metric, "reference": dict(pack.reference),
                "positive_label": pack.positive_label, "classes": list(pack.classes),
                "labels_map": dict(pack.labels_map), "seen_data": pack.heldout_mode == "rerun" and pack.fresh_seen,
                "group_column": pack.group_column}
    if dynamic is not None:
        settings.update({"probes": dynamic.probe_expectations, "probes_skipped": dynamic.probes_skipped,
                         "probes_cut": dict(dynamic.probes_cut)})
    return CheckContext(
        root=ws.root, python_files=ws.python_files, notebooks=ws.notebooks, readme=ws.readme,
        run_script=ws.run_script, requirement_files=ws.requirement_files, all_files=ws.all_files,
        dataset_file=pack.dataset_file, dataset_columns=pack.columns, target=pack.target,
        heldout=pack.heldout_task() if pack.heldout_mode == "predictions" else None,
        run=runs.evidence_run, submitted_run=runs.submitted, probe_runs=runs.probes, notebook_run=runs.notebook,
        repeat_run=runs.repeat, environment=runs.environment, settings=settings,
    )


def dropped_cells(found: dict[str, Evidence]) -> frozenset[int]:
    """The notebook cells whose stored plots the re-execution did not reproduce (EDA001's reconciliation)."""
    plots = found.get("EDA001")
    dropped = (plots.data.get("reexecution") or {}).get("dropped") if plots is not None else None
    return frozenset(int(n) for n in dropped or {} if str(n).isdigit())


def run_dynamic_checks(ctx: CheckContext) -> list[Evidence]:
    """The checks that read the sandbox runs (the static ones run in a sandbox: grader/run/static_phase.py)."""
    return [check_class()(ctx) for check_class in CATALOGUE if check_class.kind != "static"]


def static_sandbox(sandbox: Sandbox | None) -> Sandbox:
    """Where the static phase runs: the grading's sandbox, or the local runner when there is none."""
    if sandbox is not None:
        return sandbox
    from sandbox.registry import static_runner

    return static_runner()


def grade(source: Path, pack: Pack, sandbox: Sandbox | None, keep_dir: Path | None = None,
          progress: Callable[[str], None] = lambda _msg: None, options: DynamicOptions | None = None,
          keep_code: bool = False) -> Grading:
    """Grade one submission. Problems of the submission become evidence; only grader bugs raise.

    keep_code: also keep the submission's code (.py files, notebook code cells) for the cohort's similarity check.
    """
    rubric = load_rubric(known_codes={c.code for c in CATALOGUE}, known_metrics=declared_metrics())
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
        code = _kept_code(ws) if keep_code else None
        static_phase, dynamic = _run_stages(ws, pack, sandbox, scratch, options or DynamicOptions(), progress,
                                            timings)
        found = _check(ws, pack, static_phase, dynamic, timings)
        result = score(rubric, found, pack.pass_rule, pack.weights)
        timings["total_s"] = round(time.monotonic() - started, 3)
        evidence = [found[c.code] for c in CATALOGUE]
        grading = Grading(source, pack, rubric, ws, dynamic.runs, evidence, result, timings,
                          excerpts=collect_excerpts(ws.root, evidence),
                          plots=collect_plots(ws.root, ws.notebooks, dropped_cells(found)),
                          code=code, notes=static_phase.notes)
        if keep_dir is not None:
            _keep_artifacts(dynamic.runs, keep_dir)
        return grading
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _kept_code(ws: Workspace) -> list:
    """The submission's code units for the cohort's similarity check."""
    from grader.similarity import extract_code

    return extract_code(ws.root, ws.python_files, ws.notebooks)


def _run_stages(ws: Workspace, pack: Pack, sandbox: Sandbox | None, scratch: Path, options: DynamicOptions,
                progress: Callable[[str], None], timings: dict[str, float]) -> tuple[StaticPhase, DynamicResult]:
    """The static phase and the sandbox runs; the static checks (pylint is most of them) read only files, so they
    overlap the runs."""
    dynamic = DynamicResult()
    with ThreadPoolExecutor(max_workers=1) as pool:
        static = pool.submit(timed, run_static_phase, check_context(ws, pack), static_sandbox(sandbox), scratch)
        if sandbox is not None:
            dynamic = run_dynamic(ws, pack, sandbox, scratch, options, progress)
            timings.update(dynamic.timings)
        progress("checks")
        static_phase, timings["static_checks_s"] = static.result()
    return static_phase, dynamic


def _check(ws: Workspace, pack: Pack, static_phase: StaticPhase, dynamic: DynamicResult,
           timings: dict[str, float]) -> dict[str, Evidence]:
    """Every check's evidence by code: the static phase's, the dynamic checks' on the runs, then reconciled."""
    started = time.monotonic()
    found = {e.code: e for e in static_phase.evidence + run_dynamic_checks(check_context(ws, pack, dynamic))}
    reconcile_evidence(found)
    timings["dynamic_checks_s"] = round(time.monotonic() - started, 3)
    return found


def _keep_artifacts(runs: list[RunResult], keep_dir: Path) -> None:
    """Copy each run's output files next to the report, so the assessor can open them."""
    for index, run in enumerate(runs):
        if run.output_dir is None or not run.output_dir.is_dir():
            continue
        slug = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in run.label)
        target = keep_dir / "runs" / f"{index}-{slug}" / "output"
        shutil.copytree(run.output_dir, target, dirs_exist_ok=True)
        run.output_dir = target
