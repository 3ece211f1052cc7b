"""The assisted re-run on a committed-venv run.sh without `set -e`, through the Docker sandbox (issue 14 item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.run.dynamic import DynamicOptions

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "habits"


@pytest.mark.docker
def test_a_venv_runsh_without_set_e_succeeds_in_the_assisted_rerun(tmp_path, mock_pack, docker_sandbox):
    """The pipeline's runs only (no static phase): the submitted run fails offline, the assisted one succeeds."""
    from checks.runs import run_outcome
    from grader.intake.workspace import take_in
    from grader.run.dynamic import run_dynamic

    ws = take_in(FIXTURES / "venv_runsh", tmp_path / "intake")
    options = DynamicOptions(probes=False, notebook=False, assist=True, install_requirements=False)
    result = run_dynamic(ws, mock_pack, docker_sandbox, tmp_path / "scratch", options)
    submitted, assisted = result.submitted, result.assisted
    assert submitted is not None and submitted.label == "submitted run" and not submitted.succeeded
    assert "ModuleNotFoundError" in submitted.stdout + submitted.stderr
    assert len(assisted) == 1 and assisted[0].label == "assisted re-run 1", [a.stderr[-1500:] for a in assisted]
    assert result.evidence_run is assisted[0] and run_outcome(assisted[0], mock_pack.dataset_file)[0]
    assert "F1 score:" in assisted[0].stdout
    assert "AIE-ASSIST removed from run.sh: pip install -r requirements.txt" in assisted[0].stderr
    assert any(n.startswith("ASSISTED:") and "pip install -r requirements.txt" in n for n in assisted[0].notes)

