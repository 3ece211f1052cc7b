"""Run candidates' habits the way an assessor would, and measure what the grader makes of them (issue 14).

For each fixture of tests/fixtures/habits/ (and the slow sample), grade it in the Docker sandbox and
print one row: the submitted run (exit, rows read from the round's data, what failed), the assisted
re-run, the notebook's re-execution, the environment the grader built (key packages) and the time.
Past-round fixtures are graded against a rerun-mode pack built in a temporary folder from the real
data in ../shared/data/real/ (never inside the repository).

    .venv/bin/python bench/assessor_habits.py [--only NAME ...] [--json OUT] [--pip-compare]

Run it from a checkout of an older commit (PYTHONPATH=that checkout) to get the "before" column.
--pip-compare also builds a fresh Python 3.11 venv per fixture on the host and runs
`pip install -r requirements.txt` in it, for the table "grader's environment vs a fresh pip install".
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from grader.grade import grade  # noqa: E402
from grader.packs import load_pack, mock_pack_dir  # noqa: E402

HABITS = ROOT / "tests" / "fixtures" / "habits"
REAL = ROOT.parent / "shared" / "data" / "real"
KEY_PACKAGES = ("numpy", "pandas", "scikit-learn", "scipy", "matplotlib", "torch")
REAL_ROUNDS = {  # fixture prefix -> (db file, table, target, round date)
    "gas": ("gas_monitoring.db", "gas_monitoring", "Activity Level", "2025-05-01"),
    "bmarket": ("bmarket.db", "bank_marketing", "Subscription Status", "2025-01-15"),
}


def real_round_pack(key: str, dest: Path) -> Path:
    """A rerun-mode pack for a past round, by `pack new --seen`: the candidates' file as training data, a
    stratified resample of it as the fresh sample ("seen data")."""
    from grader.packs.new import NewPack, build_pack

    db, _table, target, date = REAL_ROUNDS[key]
    build_pack(NewPack(data_file=REAL / db, target=target, out=dest, modes=("rerun",), seen=True,
                       round_date=date, pack_id=f"past-{key}", force=True))
    return dest


def pack_for(name: str, scratch: Path):
    for key in REAL_ROUNDS:
        if key in name:
            return load_pack(real_round_pack(key, scratch / f"pack-{key}"))
    return load_pack(mock_pack_dir())


def rows_read(run) -> int | None:
    events = run.trace or []
    rows = [e.get("rows", 0) for e in events if e.get("ev") == "db_rows" and e.get("provided")]
    return sum(rows) if events else None


def failure(run) -> str:
    if run is None:
        return "-"
    if run.error:
        return run.error[:90]
    lines = [ln for ln in (run.stderr or run.stdout).strip().splitlines() if ln.strip()]
    for line in reversed(lines):
        if "Error" in line or "error" in line:
            return line.strip()[:90]
    return lines[-1].strip()[:90] if lines else ""


def row_for(name: str, source: Path, scratch: Path) -> dict:
    pack = pack_for(name, scratch)
    from sandbox.docker_backend import DockerSandbox

    started = time.monotonic()
    grading = grade(source, pack, DockerSandbox())
    took = time.monotonic() - started
    evidence = {e.code: e for e in grading.evidence}
    runs = {r.label: r for r in grading.runs}
    submitted = runs.get("submitted run")
    assisted = [r for label, r in runs.items() if label.startswith("assisted re-run")]
    run_ev = evidence.get("RUN001")
    nb = evidence.get("NBK001")
    env = evidence.get("ENV003")
    packages = (env.data or {}).get("packages", {}) if env else {}
    resolved = (env.data or {}).get("resolved", {}) if env else {}
    return {
        "fixture": name, "pack": pack.id, "seconds": round(took, 1),
        "submitted_exit": submitted.exit_code if submitted else None,
        "submitted_rows": rows_read(submitted) if submitted else None,
        "submitted_failure": "" if submitted and submitted.succeeded else failure(submitted),
        "assisted": [f"exit {r.exit_code}" for r in assisted],
        "assisted_failure": failure(assisted[-1]) if assisted and not assisted[-1].succeeded else "",
        "run_verdict": run_ev.summary[:140] if run_ev else "",
        "notebook": nb.summary[:140] if nb else "",
        "notebook_cells": ({k: nb.metrics.get(k) for k in ("code_cells", "failed_cells")} if nb else {}),
        "layer_packages": {k: v for k, v in packages.items() if k in KEY_PACKAGES},
        "resolved": {k: v for k, v in resolved.items() if k in KEY_PACKAGES},
        "environment": (env.data or {}).get("how", "") if env else "",
        "env_findings": env.findings[:6] if env else [],
        "timings": grading.timings,
        "probes": {name: (f"{r.status} after {r.duration_s:.0f} s (limit {r.limits.timeout_s:.0f} s)")
                   for name, r in runs.items() if name.startswith("probe:")},
        "total_pct": round(grading.score.percent, 1) if grading.score else None,
        "flags": report_flags(grading),
    }


def unbound_probes() -> None:
    """The probe limits before the budget: every probe up to twice the real run plus 30 s, no shared deadline."""
    import grader.run.dynamic as dynamic

    class Unbounded(dynamic.ProbeBudget):
        @classmethod
        def for_run(cls, pack, took_s):
            limit = min(pack.limits.timeout_s, max(60.0, 2 * took_s + 30))
            return cls(limit, limit, 4 * limit, time.monotonic() + 10**9)

    dynamic.ProbeBudget = Unbounded


def report_flags(grading) -> list[str]:
    from grader.reports.report import flags

    return flags(grading)


def pip_compare(source: Path, scratch: Path) -> dict:
    """What a fresh `pip install -r requirements.txt` in a clean Python 3.11 venv on this host gives."""
    venv = scratch / f"venv-{source.name}"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    started = time.monotonic()
    proc = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", "-r",
                           str(source / "requirements.txt")], capture_output=True, text=True, timeout=1800)
    took = time.monotonic() - started
    freeze = subprocess.run([str(venv / "bin" / "pip"), "freeze"], capture_output=True, text=True).stdout
    versions = dict(line.split("==", 1) for line in freeze.splitlines() if "==" in line)
    versions = {k.lower().replace("_", "-"): v for k, v in versions.items()}
    shutil.rmtree(venv, ignore_errors=True)
    error = proc.stderr.strip().splitlines()[-1][:160] if proc.returncode else ""
    return {"exit": proc.returncode, "seconds": round(took, 1), "error": error,
            "versions": {k: v for k, v in versions.items() if k in KEY_PACKAGES}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="fixture names (default: all)")
    parser.add_argument("--extra", nargs="*", default=[], help="other submission folders to grade")
    parser.add_argument("--json", type=Path, help="write the rows here")
    parser.add_argument("--pip-compare", action="store_true")
    parser.add_argument("--pip-only", action="store_true", help="only the fresh `pip install -r` of each fixture")
    parser.add_argument("--no-probe-bound", action="store_true",
                        help="each probe limited to 2x the run + 30 s, no shared deadline (the grader before issue 14)")
    args = parser.parse_args()
    if args.no_probe_bound:
        unbound_probes()
    names = sorted(p.name for p in HABITS.iterdir() if p.is_dir())
    sources = [HABITS / n for n in names if not args.only or n in args.only] + [Path(p) for p in args.extra]
    rows = []
    with tempfile.TemporaryDirectory(prefix="aie-habits-") as tmp:
        scratch = Path(tmp)
        for source in sources:
            row = {"fixture": source.name} if args.pip_only else row_for(source.name, source, scratch)
            if args.pip_compare or args.pip_only:
                row["pip"] = pip_compare(source, scratch)
            rows.append(row)
            print(json.dumps(row), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
