"""Cohort throughput of `grader batch`: --jobs 1 (the baseline), --jobs 2, and a Dask cluster of two workers.

Makes a synthetic cohort (`python -m devtools.synth.cohort`), grades it three times into fresh output folders,
and prints submissions per minute with the ratio to the --jobs 1 run of the same process, plus the grader's own
overhead per submission: the grading's wall time minus the pipeline's run time (batch.json's wall_s - pipeline_s).

    .venv/bin/python -m bench.batch_throughput [--n 40] [--profile fast|full] [--keep DIR]

`fast` (default) skips the robustness probes and the notebook re-execution; `full` runs every dynamic check.
Needs the Docker engine and the runner image (scripts/setup.sh).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.cluster_helpers import start_cluster, stop_cluster

ROOT = Path(__file__).resolve().parents[1]
PROFILES = {"fast": ["--no-probes", "--no-notebook", "--no-install-requirements"],
            "full": ["--no-install-requirements"]}


def grade(src: Path, out: Path, extra: list[str], profile: str) -> dict:
    """One `grader batch` run; its wall time and the per-submission records."""
    command = [sys.executable, "-m", "grader.cli", "batch", str(src), "--out", str(out), *extra, *PROFILES[profile]]
    started = time.monotonic()
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.monotonic() - started
    records = [json.loads(p.read_text()) for p in out.glob("submissions/*/batch.json")]
    if proc.returncode not in (0, 1):
        raise SystemExit(f"batch failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return {"wall_s": wall, "records": records, "output": proc.stdout + proc.stderr}  # progress is on stderr


def overhead(records: list[dict]) -> dict:
    """Per graded submission whose pipeline ran: grading wall time minus the pipeline's own run time."""
    pairs = [(r["wall_s"], r["pipeline_s"]) for r in records if r.get("outcome") == "graded" and r.get("pipeline_s")]
    extra = [w - p for w, p in pairs]
    if not extra:
        return {}
    return {"n": len(extra), "median_s": statistics.median(extra), "mean_s": statistics.mean(extra),
            "pipeline_median_s": statistics.median(p for _, p in pairs),
            "wall_median_s": statistics.median(w for w, _ in pairs)}


def kill_and_resume(src: Path, out: Path, profile: str, kill_after: int) -> None:
    """SIGKILL a --jobs 2 batch (and its workers) once `kill_after` results are committed, then resume it."""
    command = [sys.executable, "-m", "grader.cli", "batch", str(src), "--out", str(out), "--jobs", "2",
               *PROFILES[profile]]
    started = time.monotonic()
    proc = subprocess.Popen(command, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    while len(list(out.glob("submissions/*/batch.json"))) < kill_after and proc.poll() is None:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = time.monotonic() - started
    before = {p.parent.name: p.read_text() for p in out.glob("submissions/*/batch.json")}
    staging = len(list((out / ".work").iterdir()))
    time.sleep(1)
    resumed = grade(src, out, ["--jobs", "2"], profile)
    after = {p.parent.name: p.read_text() for p in out.glob("submissions/*/batch.json")}
    regraded = [name for name, text in before.items() if after.get(name) != text]
    line = next((ln for ln in resumed["output"].splitlines() if "already graded" in ln), "")
    print(f"kill-and-resume: SIGKILL after {killed_at:.0f} s with {len(before)} results committed and {staging} "
          f"staging folders in flight; resume: {line.strip()}; finished in {resumed['wall_s']:.0f} s with "
          f"{len(after)} results; committed results graded again: {len(regraded)}; "
          f"left in .work: {len(list((out / '.work').iterdir()))}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="fast")
    parser.add_argument("--keep", default=None, help="keep the cohort and outputs here")
    parser.add_argument("--kill-resume", type=int, default=0, metavar="K",
                        help="instead: kill a --jobs 2 batch after K committed results, resume it, report")
    args = parser.parse_args(argv)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="aie-bench-batch-"))
    work.mkdir(parents=True, exist_ok=True)
    from devtools.synth.cohort import synth_cohort

    cohort = work / "cohort"
    shutil.rmtree(cohort, ignore_errors=True)
    synth_cohort(args.n, cohort, seed=args.seed)
    print(f"cohort: {args.n} submissions in {cohort} (profile {args.profile}: {' '.join(PROFILES[args.profile])})")
    if args.kill_resume:
        shutil.rmtree(work / "out-kill", ignore_errors=True)
        kill_and_resume(cohort, work / "out-kill", args.profile, args.kill_resume)
        return 0
    runs: dict[str, dict] = {}
    for label, extra in (("--jobs 1", ["--jobs", "1"]), ("--jobs 2", ["--jobs", "2"])):
        runs[label] = grade(cohort, work / f"out-{label[-1]}", extra, args.profile)
        print(f"{label}: {runs[label]['wall_s']:.0f} s", flush=True)
    address, procs = start_cluster(work)
    try:
        runs["Dask, 2 workers"] = grade(cohort, work / "out-dask", ["--scheduler", address], args.profile)
        print(f"Dask, 2 workers: {runs['Dask, 2 workers']['wall_s']:.0f} s", flush=True)
    finally:
        stop_cluster(procs)
    base = runs["--jobs 1"]["wall_s"]
    print(f"\n{'mode':<18}{'wall s':>9}{'subs/min':>10}{'vs --jobs 1':>13}{'graded':>8}{'failed':>8}")
    for label, run in runs.items():
        graded = sum(1 for r in run["records"] if r["outcome"] == "graded")
        failed = sum(1 for r in run["records"] if r["outcome"] == "grader_error")
        print(f"{label:<18}{run['wall_s']:>9.0f}{60 * args.n / run['wall_s']:>10.2f}{base / run['wall_s']:>12.2f}x"
              f"{graded:>8}{failed:>8}")
    cost = overhead(runs["--jobs 1"]["records"])
    if cost:
        print(f"\ngrader overhead per submission (--jobs 1, {cost['n']} pipelines that ran): median "
              f"{cost['median_s']:.1f} s, mean {cost['mean_s']:.1f} s beyond the pipeline's own run "
              f"(median pipeline {cost['pipeline_median_s']:.1f} s, median grading {cost['wall_median_s']:.1f} s)")
    summary = {label: {"wall_s": r["wall_s"], "per_minute": 60 * args.n / r["wall_s"]} for label, r in runs.items()}
    (work / "throughput.json").write_text(json.dumps({"n": args.n, "profile": args.profile, "runs": summary,
                                                      "overhead": cost}, indent=2))
    print(f"results: {work / 'throughput.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
