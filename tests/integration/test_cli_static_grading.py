"""`grader check --backend none` grades a sample statically and says in the report that nothing ran."""

from __future__ import annotations

import json

from grader.cli import main
from tests.conftest import SAMPLES


def test_static_grading_records_that_nothing_ran(tmp_path, mock_pack):
    out = tmp_path / "out"
    assert main(["check", str(SAMPLES / "weak"), "--pack", str(mock_pack.root), "--backend", "none",
                 "--out", str(out)]) == 0
    report = json.loads((out / "report.json").read_text())
    assert report["status"] == "graded" and report["runs"] == []
    assert "pipeline_not_run" in report["flags"]
    design = next(line for line in report["lines"] if line["id"] == "pipeline.design")
    assert design["level"] <= 1

