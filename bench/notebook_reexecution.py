"""Re-execution of every sample's EDA notebook in the Docker sandbox (NBK001's run), one row per sample.

    .venv/bin/python -m bench.notebook_reexecution [--cell-timeout 120] [--total-timeout 600] [SAMPLE ...]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from grader.packs import resolve_pack
from sandbox.docker_backend import DockerSandbox
from sandbox.notebook import notebook_spec, parse_notebook_result, pick_eda_notebook

SAMPLES = Path(__file__).resolve().parent.parent / "sample_submissions"
DEFAULT = ("strong", "average", "weak", "broken", "leaky", "plagiarised", "cd_src", "abs_path")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("samples", nargs="*", default=DEFAULT)
    parser.add_argument("--cell-timeout", type=float, default=120.0)
    parser.add_argument("--total-timeout", type=float, default=600.0)
    args = parser.parse_args()
    sandbox = DockerSandbox()
    problem = sandbox.available()
    if problem:
        print(f"no Docker engine: {problem}")
        return 2
    pack = resolve_pack(None)
    print(f"{'sample':12} {'notebook':10} {'code':>4} {'failed':>6} {'stale':>5} {'order':>5} {'kernel s':>8} "
          f"{'sandbox s':>9}  first error")
    with tempfile.TemporaryDirectory() as tmp:
        data = pack.stage_data(Path(tmp) / "data")
        for name in args.samples:
            root = SAMPLES / name
            notebook = pick_eda_notebook(sorted(str(p.relative_to(root)) for p in root.rglob("*.ipynb"))) \
                if root.is_dir() else None
            if notebook is None:
                print(f"{name:12} {'-':10} no notebook")
                continue
            spec = notebook_spec(root, data, notebook, pack.limits, args.cell_timeout, args.total_timeout)
            started = time.monotonic()
            run = sandbox.run(spec, Path(tmp) / name)
            wall = time.monotonic() - started
            result = parse_notebook_result(run)
            if result is None:
                print(f"{name:12} {notebook:10} no result: {run.status} {run.error or run.log_tail(2)}")
                continue
            failing = [c for c in result["cells"] if c["status"] in ("error", "timeout")]
            first = f"cell {failing[0]['cell']}: {failing[0]['error']}"[:70] if failing else ""
            first = first or (result["kernel_error"] or "")[:70]
            print(f"{name:12} {notebook:10} {result['code_cells']:>4} {result['failed']:>6} {result['stale_cells']:>5} "
                  f"{'yes' if result['out_of_order'] else 'no':>5} {result['seconds']:>8.1f} {wall:>9.1f}  {first}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
