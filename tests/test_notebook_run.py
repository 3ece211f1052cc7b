"""Re-execution of the EDA notebook in the sandbox (NBK001): failing cells, timeouts, stale and out-of-order outputs.

The Docker tests run small notebooks the tests write (seconds each) and the strong sample's eda.ipynb.
Reading the tool's result line and the check's verdicts on a given RunResult need no engine.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from checks.base import ERROR, NOT_APPLICABLE, OK, Evidence
from checks.context import CheckContext
from checks.notebook_run import NotebookReexecution
from grader.rubric import load_rubric, score_line
from sandbox.base import STATUS_COMPLETED, STATUS_ERROR, STATUS_TIMEOUT, Limits, RunResult
from sandbox.notebook import notebook_spec, parse_notebook_result, pick_eda_notebook
from tests.conftest import SAMPLES

COLUMNS = ("delivery_id", "distance_km", "weather", "late")


def synthetic_notebook() -> nbformat.NotebookNode:
    """Cell 2 stored a different print, cell 3 raises and ran first ([1] after [2]), cell 4 differs only in noise."""
    return new_notebook(cells=[
        new_markdown_cell("# A notebook edited after it ran"),
        new_code_cell("x = 2\nprint('x is', x)", execution_count=2,
                      outputs=[new_output("stream", name="stdout", text="x is 3\n")]),
        new_code_cell("ratio = x / 0", execution_count=1),
        new_code_cell("print(0.1 + 0.2)\nobject()", execution_count=3, outputs=[
            new_output("stream", name="stdout", text="0.3000000000000001   \n"),
            new_output("execute_result", data={"text/plain": "<object at 0x7f3a2b1c9e40>"}, execution_count=3)]),
        new_code_cell("print('done')", execution_count=4,
                      outputs=[new_output("stream", name="stdout", text="done\n")]),
    ])


def write_submission(root: Path, nb: nbformat.NotebookNode | str, name: str = "eda.ipynb") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    if isinstance(nb, str):
        (root / name).write_text(nb)
    else:
        nbformat.write(nb, root / name)
    return root


def rerun(sandbox, pack, tmp: Path, submission: Path, notebook: str = "eda.ipynb", **timeouts) -> RunResult:
    spec = notebook_spec(submission, pack.stage_data(tmp / "data"), notebook, Limits(), **timeouts)
    return sandbox.run(spec, tmp / "artifacts")


def context(root: Path, run: RunResult | None, notebooks: list[str] | None = None) -> CheckContext:
    return CheckContext(root=root, python_files=[], notebooks=["eda.ipynb"] if notebooks is None else notebooks,
                        readme=None, run_script=None, requirement_files=[], dataset_columns=COLUMNS, target="late",
                        notebook_run=run)


def by_cell(result: dict) -> dict[int, dict]:
    return {c["cell"]: c for c in result["cells"]}


@pytest.fixture(scope="module")
def synthetic_run(tmp_path_factory, docker_sandbox, mock_pack) -> tuple[Path, RunResult]:
    tmp = tmp_path_factory.mktemp("synthetic")
    submission = write_submission(tmp / "sub", synthetic_notebook())
    return submission, rerun(docker_sandbox, mock_pack, tmp, submission, cell_timeout_s=30, total_timeout_s=90)


# ---------------------------------------------------------------- in Docker


@pytest.mark.docker
def test_the_strong_notebook_runs_top_to_bottom(tmp_path, docker_sandbox, mock_pack):
    run = rerun(docker_sandbox, mock_pack, tmp_path, SAMPLES / "strong")
    result = parse_notebook_result(run)
    assert run.status == STATUS_COMPLETED and result is not None, run.stderr[-2000:]
    assert result["kernel_error"] is None
    assert result["failed"] == 0 and not result["timed_out"]
    assert result["code_cells"] >= 15 and all(c["status"] == "ok" for c in result["cells"])
    assert not result["out_of_order"]
    assert any("image" in c["fresh_kinds"] for c in result["cells"]), "inline figures were not rendered"
    assert result["stale_cells"] == 0, [c for c in result["cells"] if c["stale"]]


@pytest.mark.docker
def test_failing_stale_and_out_of_order_cells_are_found(synthetic_run):
    _submission, run = synthetic_run
    result = parse_notebook_result(run)
    assert result is not None, run.stderr[-2000:]
    cells = by_cell(result)
    assert result["code_cells"] == 4 and result["failed"] == 1
    assert cells[3]["status"] == "error" and cells[3]["error"].startswith("ZeroDivisionError:")
    assert [cells[n]["status"] for n in (2, 4, 5)] == ["ok", "ok", "ok"]  # a failing cell does not stop the run
    assert result["out_of_order"]
    assert cells[2]["stale"]  # stored "x is 3", the code prints "x is 2"
    assert not cells[4]["stale"]  # float noise, a memory address and trailing spaces are not staleness
    assert not cells[5]["stale"]
    assert result["stale_cells"] == 1
    assert cells[2]["stored_count"] == 2 and cells[3]["stored_count"] == 1


@pytest.mark.docker
def test_a_cell_past_its_time_limit_is_interrupted_and_the_rest_reported(tmp_path, docker_sandbox, mock_pack):
    nb = new_notebook(cells=[new_code_cell("import time\nstarted = time.time()"),
                             new_code_cell("time.sleep(30)"),
                             new_code_cell("print('after the slow cell')")])
    submission = write_submission(tmp_path / "sub", nb)
    run = rerun(docker_sandbox, mock_pack, tmp_path, submission, cell_timeout_s=3, total_timeout_s=60)
    result = parse_notebook_result(run)
    assert result is not None, run.stderr[-2000:]
    cells = by_cell(result)
    assert cells[2]["status"] == "timeout" and cells[2]["seconds"] < 15
    assert cells[3]["status"] in ("ok", "not_run")
    assert result["failed"] == 1 and run.duration_s < 45


@pytest.mark.docker
def test_the_total_time_limit_leaves_the_remaining_cells_not_run(tmp_path, docker_sandbox, mock_pack):
    nb = new_notebook(cells=[new_code_cell("import time")] + [new_code_cell("time.sleep(2)") for _ in range(6)])
    submission = write_submission(tmp_path / "sub", nb)
    run = rerun(docker_sandbox, mock_pack, tmp_path, submission, cell_timeout_s=30, total_timeout_s=8)
    result = parse_notebook_result(run)
    assert result is not None, run.stderr[-2000:]
    statuses = "".join({"ok": "o", "timeout": "t", "not_run": "n", "error": "e"}[c["status"]]
                       for c in result["cells"])
    assert result["timed_out"] and re.fullmatch(r"o*t?n+", statuses), statuses  # ran, ran out, then nothing
    assert result["seconds"] < 8 + 5


@pytest.mark.docker
@pytest.mark.parametrize("content, problem", [
    ("{not json", "not a readable notebook"),
    (nbformat.writes(new_notebook(cells=[new_markdown_cell("only words")])), "no code cell"),
    (nbformat.writes(new_notebook(cells=[new_code_cell("print(1)"), new_code_cell("import os\nos._exit(3)"),
                                         new_code_cell("print(2)")])), "the kernel died"),
])
def test_broken_notebooks_still_give_a_result(tmp_path, docker_sandbox, mock_pack, content, problem):
    submission = write_submission(tmp_path / "sub", content)
    run = rerun(docker_sandbox, mock_pack, tmp_path, submission, cell_timeout_s=20, total_timeout_s=60)
    result = parse_notebook_result(run)
    assert result is not None, run.stderr[-2000:]
    assert problem in result["kernel_error"]


@pytest.mark.docker
def test_the_candidates_code_cannot_print_the_result_line(tmp_path, docker_sandbox, mock_pack):
    forged = json.dumps({"cells": [], "code_cells": 99, "failed": 0, "timed_out": False, "out_of_order": False,
                         "unexecuted_with_code": 0, "stale_cells": 0, "seconds": 0, "kernel_error": None})
    nb = new_notebook(cells=[
        new_code_cell(f"import os, sys, signal\nFAKE = {('AIE-NBRUN ' + forged + chr(10))!r}\n"
                      "os.write(1, FAKE.encode()); sys.__stdout__.write(FAKE); sys.__stdout__.flush()"),
        new_code_cell("open('/proc/1/fd/1', 'w').write(FAKE)"),
        new_code_cell("os.kill(os.getppid(), signal.SIGKILL)"),
        new_code_cell("print('still running')"),
    ])
    submission = write_submission(tmp_path / "sub", nb)
    run = rerun(docker_sandbox, mock_pack, tmp_path, submission, cell_timeout_s=20, total_timeout_s=60)
    result = parse_notebook_result(run)
    assert result is not None and result["code_cells"] == 4
    assert run.stdout.count("AIE-NBRUN ") == 1
    assert by_cell(result)[2]["error"].startswith("PermissionError")
    assert by_cell(result)[4]["status"] == "ok"


@pytest.mark.docker
def test_nbk001_reports_the_failing_cell_and_the_stale_outputs(synthetic_run):
    submission, run = synthetic_run
    evidence = NotebookReexecution()(context(submission, run))
    assert evidence.status == OK, evidence.summary
    assert evidence.metrics["reexecuted"] is True and evidence.metrics["runs_clean"] is False
    assert evidence.metrics["failed_cells"] == 1 and evidence.metrics["stale_cells"] == 1
    assert evidence.metrics["out_of_order"] is True and evidence.metrics["code_cells"] == 4
    assert "eda.ipynb, cell 3: ZeroDivisionError: division by zero" in evidence.findings
    assert any("differ from a top-to-bottom run (cells 2)" in f for f in evidence.findings)
    assert any("cell 3 ran as [1] after cell 2 [2]" in f for f in evidence.findings)
    assert [(loc.path, loc.line) for loc in evidence.locations] == [("eda.ipynb", None)]
    assert evidence.locations[0].snippet.startswith("cell 3: ZeroDivisionError")
    assert len(evidence.data["cells"]) == 4


# ---------------------------------------------------------------- without an engine


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
        "markdown_words": 900, "columns_discussed": 8, "linked_to_pipeline": True}),
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
