"""Re-execution of the EDA notebook in the Docker sandbox (NBK001): failing cells, timeouts, stale and out-of-order
outputs, on small notebooks the tests write (seconds each) and the strong sample's eda.ipynb."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from checks.base import OK
from checks.notebook_run import NotebookReexecution
from sandbox.base import STATUS_COMPLETED, Limits, RunResult
from sandbox.notebook import notebook_spec, parse_notebook_result
from tests.conftest import SAMPLES
from tests.notebook_helpers import context, synthetic_notebook


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


def by_cell(result: dict) -> dict[int, dict]:
    return {c["cell"]: c for c in result["cells"]}


@pytest.fixture(scope="module")
def synthetic_run(tmp_path_factory, docker_sandbox, mock_pack) -> tuple[Path, RunResult]:
    tmp = tmp_path_factory.mktemp("synthetic")
    submission = write_submission(tmp / "sub", synthetic_notebook())
    return submission, rerun(docker_sandbox, mock_pack, tmp, submission, cell_timeout_s=30, total_timeout_s=90)


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

