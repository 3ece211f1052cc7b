"""Static phase wall time per sample: in the sandbox (as graded) against the same checks in-process on the host
(how they ran before issue 13) and a bare pylint run on the same files, all in the same process. Issue 18's
goal: the sandboxed phase at most 0.7 of the bare pylint run on every sample ("vs pylint").

    .venv/bin/python -m bench.static_phase [--repeat 1] [--backend docker|local] [--grade strong]

The host-side baseline imports and runs the checks on the host: it is only ever pointed at our own
samples. --grade also times a whole grading of one sample (the static phase overlaps the runs).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from checks.static_phase import run_static_checks
from grader.grade import check_context, grade
from grader.intake.workspace import take_in
from grader.packs import resolve_pack
from grader.run.static_phase import run_static_phase
from sandbox.docker_backend import DockerSandbox
from sandbox.local_backend import LocalSandbox

SAMPLES = Path(__file__).resolve().parent.parent / "sample_submissions"


def _timed(fn, *args):
    started = time.perf_counter()
    value = fn(*args)
    return value, time.perf_counter() - started


def _bare_pylint(files: list[str]) -> None:
    subprocess.run([sys.executable, "-m", "pylint", "--persistent=n", *files] if files else ["true"],
                   capture_output=True, check=False)


def measure(sample: Path, pack, sandbox, repeat: int) -> tuple[int, float, float, float, bool]:
    """(files, sandbox s, host s, bare pylint s, same evidence) for one sample, medians over repeat."""
    with tempfile.TemporaryDirectory() as tmp:
        ws = take_in(sample, Path(tmp) / "ws")
        files = [str(ws.root / f) for f in ws.python_files]
        boxed, host, bare, same = [], [], [], True
        for index in range(repeat):
            phase, seconds = _timed(run_static_phase, check_context(ws, pack), sandbox, Path(tmp) / f"s{index}")
            boxed.append(seconds)
            evidence, seconds = _timed(run_static_checks, check_context(ws, pack))
            host.append(seconds)
            same &= [(e.code, e.status, e.metrics) for e in phase.evidence] == \
                    [(e.code, e.status, e.metrics) for e in evidence]
            _, seconds = _timed(_bare_pylint, files)
            bare.append(seconds)
    return len(files), statistics.median(boxed), statistics.median(host), statistics.median(bare), same


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--backend", choices=("docker", "local"), default="docker")
    parser.add_argument("--grade", default="strong", help="also time a whole grading of this sample ('' to skip)")
    args = parser.parse_args()
    pack = resolve_pack(None)
    sandbox = DockerSandbox() if args.backend == "docker" else LocalSandbox()
    print(f"static phase in the {sandbox.name} sandbox vs in-process on the host (before issue 13) vs bare pylint")
    print(f"{'sample':14} {'files':>5} {'sandbox s':>10} {'host s':>8} {'ratio':>6} {'bare pylint s':>14} "
          f"{'vs pylint':>9} {'same evidence':>14}")
    ratios, against_pylint = [], []
    for sample in sorted(p for p in SAMPLES.iterdir() if p.is_dir() and not p.name.startswith("hostile_")):
        files, boxed, host, bare, same = measure(sample, pack, sandbox, args.repeat)
        ratios.append(boxed / host)
        against_pylint.append(boxed / bare)
        print(f"{sample.name:14} {files:>5} {boxed:>10.2f} {host:>8.2f} {boxed / host:>6.2f} {bare:>14.2f} "
              f"{boxed / bare:>9.2f} {'yes' if same else 'NO':>14}")
    print(f"median ratio sandbox / host: {statistics.median(ratios):.2f}; sandbox / bare pylint: median "
          f"{statistics.median(against_pylint):.2f}, max {max(against_pylint):.2f}")
    if args.grade:
        grading, seconds = _timed(grade, SAMPLES / args.grade, pack, sandbox)
        print(f"grading of {args.grade} ({sandbox.name}): {seconds:.1f} s wall, static phase "
              f"{grading.timings.get('static_checks_s', 0):.1f} s (overlapping the runs); "
              f"timings {grading.timings}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
