"""Re-execution of the EDA notebook in the sandbox (NBK001): failing cells, timeouts, stale and out-of-order outputs.

Reading the tool's result line and the check's verdicts on a given RunResult need no engine; the runs in Docker
are in tests/integration/test_notebook_run_docker.py.
"""

from __future__ import annotations

import json

import nbformat
import pytest

from checks.base import ERROR, NOT_APPLICABLE, OK, Evidence
from checks.notebook_run import NotebookReexecution
from grader.rubric import load_rubric, score_line
from sandbox.base import STATUS_COMPLETED, STATUS_ERROR, STATUS_TIMEOUT, Limits, RunResult
from sandbox.notebook import notebook_spec, parse_notebook_result, pick_eda_notebook
from tests.notebook_helpers import context, synthetic_notebook


def run_with(stdout: str, status: str = STATUS_COMPLETED, **fields) -> RunResult:
    return RunResult(backend="docker", label="notebook re-execution",
                     command=("python", "{tools}/aie_nbrun.py", "--", "eda.ipynb"), status=status,
                     exit_code=0 if status == STATUS_COMPLETED else None, duration_s=1.0, stdout=stdout, **fields)


def result_line(**overrides) -> str:
    body = {"notebook": "eda.ipynb", "cells": [
        {"cell": 2, "stored_count": 1, "status": "ok", "error": None, "seconds": 0.1, "stale": False,
         "stored_kinds": ["stdout"], "fresh_kinds": ["stdout"]}],
        "code_cells": 1, "failed": 0, "timed_out": False, "out_of_order": False, "unexecuted_with_code": 0,
        "stale_cells": 0, "seconds": 2.5, "kernel_error": None, "cells_truncated": False}
    body.update(overrides)
    return "AIE-NBRUN " + json.dumps(body)


def test_the_last_result_line_wins_over_a_forged_earlier_one():
    forged = result_line(code_cells=99, cells=[])
    result = parse_notebook_result(run_with(f"{forged}\nnoise\n{result_line()}\n"))
    assert result is not None and result["code_cells"] == 1 and result["cells"][0]["cell"] == 2


@pytest.mark.parametrize("stdout", [
    "",
    "no marker at all\n",
    result_line() + "\nAIE-NBRUN {not json\n",  # a malformed last line is not replaced by an earlier one
    "AIE-NBRUN [1, 2]\n",
    result_line(failed="0"),
    result_line(failed=True),
    result_line(seconds=float("nan")),
    result_line(kernel_error=["a list"]),
    result_line(cells=[{"cell": 0, "stored_count": None, "status": "ok", "error": None, "seconds": 0,
                        "stale": False, "stored_kinds": [], "fresh_kinds": []}]),
    result_line(cells=[{"cell": 1, "stored_count": None, "status": "pwned", "error": None, "seconds": 0,
                        "stale": False, "stored_kinds": [], "fresh_kinds": []}]),
    result_line(cells=[{"cell": 1}]),
    result_line(cells=[{"cell": 1, "stored_count": None, "status": "ok", "error": None, "seconds": 0,
                        "stale": False, "stored_kinds": ["x"] * 100, "fresh_kinds": []}]),
    "AIE-NBRUN " + "[" * 100_000 + "]" * 100_000,
])
def test_malformed_result_lines_are_none(stdout):
    assert parse_notebook_result(run_with(stdout)) is None


def test_long_strings_in_the_result_are_capped():
    line = result_line(kernel_error="x" * 10_000, notebook="n" * 10_000)
    result = parse_notebook_result(run_with(line))
    assert result is not None and len(result["kernel_error"]) == 500 and len(result["notebook"]) == 300


def test_the_spec_runs_the_tool_on_the_notebook_with_a_wider_sandbox_limit(tmp_path):
    spec = notebook_spec(tmp_path, tmp_path, "notebooks/eda.ipynb", Limits(timeout_s=5000), 30, 300)
    assert spec.command[:2] == ("python", "{tools}/aie_nbrun.py") and spec.command[-2:] == ("--", "notebooks/eda.ipynb")
    assert 300 < spec.limits.timeout_s <= 400 and not spec.trace and spec.label == "notebook re-execution"
    for bad in ("../eda.ipynb", "/etc/eda.ipynb", "run.sh"):
        with pytest.raises(ValueError):
            notebook_spec(tmp_path, tmp_path, bad, Limits())
    assert pick_eda_notebook(["a.ipynb", "notebooks/eda.ipynb", "z/eda.ipynb", "eda.ipynb"]) == "eda.ipynb"


def test_nbk001_without_a_notebook_or_a_run_is_not_applicable(tmp_path):
    assert NotebookReexecution()(context(tmp_path, None, notebooks=[])).status == NOT_APPLICABLE
    assert NotebookReexecution()(context(tmp_path, None)).status == NOT_APPLICABLE


def test_nbk001_on_runs_without_a_result_line(tmp_path):
    check = NotebookReexecution()
    broken = check(context(tmp_path, run_with("", status=STATUS_ERROR, error="engine gone")))
    assert broken.status == ERROR
    killed = check(context(tmp_path, run_with("AIE-NBRUN {truncated", status=STATUS_TIMEOUT, timed_out=True,
                                              stderr="cell 3 looping\n", limits=Limits(timeout_s=660))))
    assert killed.status == OK and killed.metrics["reexecuted"] is False and killed.metrics["runs_clean"] is False
    assert "killed at the sandbox time limit of 660 s" in killed.summary
    assert any("cell 3 looping" in f for f in killed.findings)
    silent = check(context(tmp_path, run_with("", status="failed", stderr="python: can't open file\n")))
    assert silent.status == OK and silent.metrics["reexecuted"] is False
    assert "runs_clean" not in silent.metrics  # not the candidate's doing: no cap


def test_a_notebook_that_does_not_run_caps_insights_and_a_missing_run_does_not():
    line = load_rubric().line("eda.insights")
    strong = {"EDA003": Evidence("EDA003", "", (), OK, "", metrics={
        "markdown_words": 900, "columns_discussed": 8, "linked_to_pipeline": True, "quantified_findings": 10}),
              "LNK001": Evidence("LNK001", "", (), OK, "", metrics={"decisions_mapped": 4, "columns_linked": 5}),
              "FEA001": Evidence("FEA001", "", (), OK, "", metrics={"derived_features": 3})}
    failing = Evidence("NBK001", "", (), OK, "", metrics={"reexecuted": True, "runs_clean": False})
    clean = Evidence("NBK001", "", (), OK, "", metrics={"reexecuted": True, "runs_clean": True})
    missing = Evidence("NBK001", "", (), NOT_APPLICABLE, "", metrics={"reexecuted": False})
    assert score_line(line, {**strong, "NBK001": clean}, 1.0).level == 3
    assert score_line(line, {**strong, "NBK001": missing}, 1.0).level == 3
    capped = score_line(line, {**strong, "NBK001": failing}, 1.0)
    assert capped.level == 2 and "does not run top to bottom" in capped.reason


def test_the_synthetic_notebook_is_valid():
    nbformat.validate(synthetic_notebook())  # the Docker tests measure the grader, not a malformed fixture


def test_a_kernel_that_never_starts_is_the_graders_failure_not_the_candidates(tmp_path):
    """Seen in the local runner before the kernel used IPC: no loopback, no kernel, every cell not run."""
    cells = [{"cell": n, "stored_count": n, "status": "not_run", "error": None, "seconds": 0.0, "stale": False,
              "stored_kinds": [], "fresh_kinds": []} for n in (2, 3)]
    line = result_line(cells=cells, code_cells=2, kernel_error="RuntimeError: Kernel didn't respond in 60 seconds")
    evidence = NotebookReexecution()(context(tmp_path, run_with(line + "\n")))
    assert evidence.status == ERROR and "did not start" in evidence.summary
    assert "runs_clean" not in evidence.metrics  # so the eda.insights cap cannot fire
