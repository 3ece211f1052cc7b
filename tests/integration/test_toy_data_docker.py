"""Issue 14 item 4 in Docker: tests/fixtures/habits/toy_fallback, graded on the mock pack, reads the provided data
but trains and evaluates on a toy frame, and is not a successful run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.reports.report import flags

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "habits" / "toy_fallback"


@pytest.mark.docker
def test_the_toy_fallback_fixture_is_not_a_successful_run(tmp_path, mock_pack, docker_sandbox):
    from grader.grade import grade
    from grader.run.dynamic import DynamicOptions

    root = shutil.copytree(FIXTURE, tmp_path / "toy_fallback")
    grading = grade(root, mock_pack, docker_sandbox,
                    options=DynamicOptions(probes=False, notebook=False, assist=False, install_requirements=False))
    run = grading.runs[0]
    assert run.exit_code == 0 and "ROC AUC: 1.000" in run.stdout, run.stderr[-2000:]
    evidence = {e.code: e for e in grading.evidence}
    assert evidence["RUN001"].metrics["succeeded"] is False, evidence["RUN001"].summary
    assert "trained and evaluated only on toy data" in evidence["RUN001"].summary
    assert "faked work" in evidence["RUN001"].summary
    assert evidence["DYN001"].metrics["largest_fit_rows"] < 10
    assert "toy_data" in flags(grading)
    design = next(line for line in grading.score.lines if line.id == "pipeline.design")
    assert design.level is not None and design.level <= 1, design.reason

