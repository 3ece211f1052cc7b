"""Candidates' habits run in the grader as they ran for the assessor (issue 14): data/ writable, one environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.intake.workspace import take_in
from grader.run.dynamic import DynamicOptions, run_dynamic

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "habits"

pytestmark = pytest.mark.docker


def _dynamic(name: str, tmp_path: Path, pack, sandbox, **options):
    ws = take_in(FIXTURES / name, tmp_path / "intake")
    settings = {"probes": False, "assist": False, "install_requirements": False, "cache_dir": tmp_path / "cache"}
    settings.update(options)
    return run_dynamic(ws, pack, sandbox, tmp_path / "scratch", DynamicOptions(**settings))


def test_a_pipeline_and_notebook_that_write_into_data_run(tmp_path, mock_pack, docker_sandbox):
    result = _dynamic("writes_data", tmp_path, mock_pack, docker_sandbox)
    run = result.submitted
    assert run.succeeded, run.log_tail()
    assert "Read-only file system" not in run.stderr
    assert "predictions.csv" in run.output_files
    notebook = result.notebook
    assert notebook is not None and notebook.succeeded, notebook.log_tail()
    assert "Read-only file system" not in notebook.stdout + notebook.stderr


def test_an_old_pandas_pin_runs_in_the_numpy_world_it_was_built_for(tmp_path, mock_pack, docker_sandbox):
    result = _dynamic("old_pandas_new_numpy", tmp_path, mock_pack, docker_sandbox, install_requirements=True,
                      notebook=False)
    env = result.environment
    if env.get("error") and "not reachable" in str(env["error"]):
        pytest.skip(f"NO PACKAGE INDEX from this host: {env['error']}")
    assert env["resolved"]["pandas"] == "1.5.3" and env["resolved"]["numpy"].startswith("1.")
    assert any(c.startswith("numpy<2") for c in env["constraints"])
    run = result.submitted
    assert run.succeeded, run.log_tail()
    assert "numpy.dtype size changed" not in run.stderr
