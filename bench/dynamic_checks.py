"""What the dynamic checks see and cost, per sample submission (issue 5).

    .venv/bin/python -m bench.dynamic_checks [--samples strong,leaky] [--backend docker] [--cold]

Grades every sample that has an EXPECTED.toml with every dynamic check on (the repeat run too) and
prints: the robustness probe outcomes, the notebook re-execution, the tracer's facts, the assisted
re-runs, and the wall time each dynamic step adds, as a ratio to the submitted run measured in the
same grading (the baseline). --cold empties the requirements cache first.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from grader.calibrate import calibration_samples
from grader.grade import grade
from grader.packs import resolve_pack
from grader.run.dynamic import DynamicOptions
from sandbox.cache import cache_root as _cache_root

SAMPLES = Path(__file__).resolve().parent.parent / "sample_submissions"
STEPS = ("requirements_s", "run_s", "assist_s", "probes_s", "notebook_s", "repeat_s", "static_checks_s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", default="", help="comma-separated sample names (default: all with EXPECTED)")
    parser.add_argument("--backend", default="docker", choices=("docker", "local"))
    parser.add_argument("--cold", action="store_true", help="empty the requirements cache first")
    args = parser.parse_args()
    console = Console(width=200)
    names = [n for n in args.samples.split(",") if n] or calibration_samples(SAMPLES)
    if args.cold:
        shutil.rmtree(_cache_root() / "requirements", ignore_errors=True)
    if args.backend == "docker":
        from sandbox.docker_backend import DockerSandbox

        sandbox = DockerSandbox()
    else:
        from sandbox.local_backend import LocalSandbox

        sandbox = LocalSandbox()
    pack = resolve_pack(None)
    options = DynamicOptions(repeat=True)
    baseline_options = DynamicOptions(probes=False, notebook=False, assist=False, trace=False,
                                      install_requirements=False)
    results, baselines = {}, {}
    for name in names:
        started = time.monotonic()
        grade(SAMPLES / name, pack, sandbox, options=baseline_options)
        baselines[name] = time.monotonic() - started
        started = time.monotonic()
        with tempfile.TemporaryDirectory() as keep:
            grading = grade(SAMPLES / name, pack, sandbox, keep_dir=Path(keep), options=options)
        results[name] = (grading, time.monotonic() - started)
        console.print(f"graded {name}: {results[name][1]:.1f} s with every dynamic check, {baselines[name]:.1f} s "
                      "with the submitted run only", highlight=False)

    probes = Table(title="Robustness probes (PRB001)")
    for column in ("sample", "empty_table", "text_in_numeric", "missing_database", "unseen_category", "good",
                   "exception_handling"):
        probes.add_column(column)
    for name, (grading, _s) in results.items():
        ev = {e.code: e for e in grading.evidence}
        rows = {p["probe"]: p["outcome"] for p in ev["PRB001"].data.get("probes", [])}
        line = next(x for x in grading.score.lines if x.id == "prog.exception_handling")
        probes.add_row(name, *(rows.get(k, "-") for k in ("empty_table", "text_in_numeric", "missing_database",
                                                          "unseen_category")),
                       str(ev["PRB001"].metrics.get("good", "-")), str(line.level))
    console.print(probes)

    notebooks = Table(title="Notebook re-execution (NBK001)")
    for column in ("sample", "code cells", "failed", "stale", "out of order", "timed out", "first error", "s"):
        notebooks.add_column(column)
    for name, (grading, _s) in results.items():
        ev = {e.code: e for e in grading.evidence}["NBK001"]
        m = ev.metrics
        first = next((f for f in ev.findings if "cell" in f), "")
        notebooks.add_row(name, str(m.get("code_cells", "-")), str(m.get("failed_cells", "-")),
                          str(m.get("stale_cells", "-")), str(m.get("out_of_order", "-")), str(m.get("timed_out", "-")),
                          first[:60], f"{grading.timings.get('notebook_s', 0):.1f}")
    console.print(notebooks)

    flow = Table(title="Tracer (DYN001) and runs")
    for column in ("sample", "submitted", "assisted re-runs (repairs)", "splits", "leaks", "models on test",
                   "selection on test", "searches", "NaN at fit", "engineered in final", "unseeded", "repeat"):
        flow.add_column(column)
    for name, (grading, _s) in results.items():
        ev = {e.code: e for e in grading.evidence}
        m = ev["DYN001"].metrics
        run = ev["RUN001"].metrics
        assisted = [r for r in grading.runs if r.label.startswith("assisted")]
        repairs = f"{len(assisted)} -> {'ok' if run.get('evidence_succeeded') else 'failed'}" if assisted else "-"
        rep = ev["REP001"].metrics
        flow.add_row(name, "ok" if run.get("succeeded") else "FAILED", repairs, str(m.get("splits", "-")),
                     str(m.get("leak_fits", "-")), str(m.get("test_models", "-")), str(m.get("test_selection", "-")),
                     str(m.get("searches", "-")), str(m.get("nan_at_model_fit", "-")),
                     str(m.get("engineered_in_final", "-")), str(m.get("unseeded", "-")),
                     "identical" if rep.get("identical") else ("differs" if rep.get("repeated") else "-"))
    console.print(flow)

    cost = Table(title="Wall time per step (s); total against the baseline grading (submitted run only, untraced)")
    for column in ("sample", *STEPS, "total", "baseline", "total / baseline", "added s"):
        cost.add_column(column, justify="right")
    for name, (grading, total) in results.items():
        t = grading.timings
        base = baselines[name]
        cost.add_row(name, *(f"{t.get(k, 0.0):.1f}" for k in STEPS), f"{total:.1f}", f"{base:.1f}",
                     f"{total / base:.2f}x", f"{total - base:.1f}")
    console.print(cost)
    for name in ("strong", "leaky"):
        if name in results:
            ev = {e.code: e for e in results[name][0].evidence}["DYN001"]
            console.print(f"[bold]{name}[/] tracer: {ev.summary}", highlight=False)
            for finding in ev.findings:
                console.print(f"  - {finding[:300]}", highlight=False)
    for name, (grading, _s) in results.items():
        for run in grading.runs:
            if run.label.startswith("assisted"):
                console.print(f"{name}: {run.label}: {run.status} - {run.notes[-1][:300]}", highlight=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
