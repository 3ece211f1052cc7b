"""Static phase wall time per sample, beside a bare pylint run on the same files (ratio, same process).

    .venv/bin/python -m bench.static_phase [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from checks.context import CheckContext
from grader.grade import gather_evidence
from grader.intake import take_in
from grader.packs import resolve_pack

SAMPLES = Path(__file__).resolve().parent.parent / "sample_submissions"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pack = resolve_pack(None)
    print(f"{'sample':14} {'files':>5} {'static phase s':>15} {'bare pylint s':>14} {'ratio':>6}")
    for sample in sorted(p for p in SAMPLES.iterdir() if p.is_dir() and not p.name.startswith("hostile_")):
        with tempfile.TemporaryDirectory() as tmp:
            ws = take_in(sample, Path(tmp))
            files = [str(ws.root / f) for f in ws.python_files]
            static, bare = [], []
            for _ in range(args.repeat):
                ctx = CheckContext(root=ws.root, python_files=ws.python_files, notebooks=ws.notebooks,
                                   readme=ws.readme, run_script=ws.run_script,
                                   requirement_files=ws.requirement_files, all_files=ws.all_files,
                                   dataset_columns=pack.columns, target=pack.target,
                                   settings={"min_models": pack.min_models})
                started = time.perf_counter()
                gather_evidence(ctx)
                static.append(time.perf_counter() - started)
                started = time.perf_counter()
                subprocess.run([sys.executable, "-m", "pylint", "--persistent=n", *files], cwd=tmp,
                               capture_output=True, check=False)
                bare.append(time.perf_counter() - started)
        s, b = statistics.median(static), statistics.median(bare)
        print(f"{sample.name:14} {len(files):>5} {s:>15.2f} {b:>14.2f} {s / b:>6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
