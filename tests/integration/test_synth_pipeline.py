"""A synthetic cohort's attacks keep the pipeline working: the renamed and padded average sample still runs its
run.sh on the mock pack's data and writes every prediction."""

from __future__ import annotations

import csv
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from devtools.synth.transforms import apply_attack
from tests.conftest import SAMPLES


def _pipeline_available() -> str | None:
    for module in ("pandas", "sklearn", "yaml"):
        try:
            __import__(module)
        except ImportError:
            return f"the sample pipeline needs {module}, which is not installed"
    return None


@pytest.mark.skipif(_pipeline_available() is not None, reason=str(_pipeline_available()))
def test_renamed_and_padded_average_still_runs(tmp_path):
    from grader.packs import resolve_pack

    pack = resolve_pack(None)
    renamed = apply_attack(SAMPLES / "average", tmp_path / "renamed", "rename", random.Random(12))
    dest = apply_attack(renamed, tmp_path / "attacked", "dead_code", random.Random(13), rate=1.0)
    assert "def main(" not in (dest / "src" / "main.py").read_text()
    (dest / "data").mkdir()
    shutil.copyfile(pack.train_db, dest / "data" / "deliveries.db")
    shutil.copyfile(pack.holdout_features, dest / "data" / "holdout.db")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.run(["bash", "run.sh"], cwd=dest, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    with (dest / "output" / "predictions.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 3000 and {"delivery_id", "late", "late_proba"} <= set(rows[0])

