"""Evidence that is not real must not lift a level, and the grader's own failure must not lower one (issue 13, 4-6).

4. stored notebook outputs of cells that fail when re-executed do not count (EDA001/EDA002 after NBK001);
5. code nothing run.sh runs is unused, not measured (PRG001-PRG004, checks/reachability.py);
6. a check the grader's limits stopped (pylint time, size caps) is an ERROR: its line is not assessed.

Each attack is built in tmp_path from a copy of a sample (tests/honesty_fixtures.py). New APIs are imported
inside the tests, so that on the code before the fix each test fails on its own assertion or import. The real
gradings are in tests/integration/test_evidence_honesty_gradings.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from checks.base import ERROR, NOT_APPLICABLE, OK, Evidence
from checks.context import CheckContext
from checks.eda import DescriptiveStatistics, RenderedPlots, WrittenInsights
from checks.programming import CodeStructure, ExceptionHandling, PylintScore, SelfExplanatory
from grader.intake.workspace import take_in
from grader.rubric import NOT_ASSESSED, SCORED, load_rubric, score, score_line
from tests.honesty_fixtures import (
    FORGED_PLOT_CELLS,
    copy_sample,
    forged_plots,
    huge_module,
    oversized_notebook,
    unused_modules,
)

COLUMNS = ('delivery_id', 'order_datetime', 'region', 'distance_km', 'parcel_weight', 'num_items', 'vehicle_type',
           'driver_experience_yrs', 'driver_rating', 'weather', 'traffic_index', 'customer_tier', 'express', 'late')
PROG = ("prog.readability", "prog.reusability", "prog.self_explanatory", "prog.exception_handling")


def context(root: Path, work: Path) -> CheckContext:
    """The context intake would build for a submission folder."""
    ws = take_in(root, work)
    return CheckContext(root=ws.root, python_files=ws.python_files, notebooks=ws.notebooks, readme=ws.readme,
                        run_script=ws.run_script, requirement_files=ws.requirement_files, all_files=ws.all_files,
                        dataset_columns=COLUMNS, target="late")


def level(line_id: str, found: dict[str, Evidence]):
    return score_line(load_rubric().line(line_id), found, 1.0)


# Titled plots, each followed by a reading (EDA004): what the visualisation line asks of the plots EDA001 counts.
READ_PLOTS = Evidence("EDA004", "eda-depth", (), OK, "", metrics={"titled_share": 1.0, "interpreted_share": 1.0,
                                                                 "plot_cells": 10, "formal_tests": 2,
                                                                 "descriptive_kinds": 0})


def nbk(cells: list[dict], status: str = OK, kernel_error: str | None = None, notebook: str = "eda.ipynb") -> Evidence:
    """NBK001 evidence as the re-execution check makes it, from per-cell rows."""
    return Evidence("NBK001", "notebook-reexecution", ("eda.visualisation",), status, "re-executed",
                    metrics={"reexecuted": True, "runs_clean": all(c["status"] == "ok" for c in cells)},
                    data={"notebook": notebook, "cells": cells, "kernel_error": kernel_error})


def row(cell: int, status: str = "ok", fresh: tuple[str, ...] = ("image",), error: str | None = None) -> dict:
    return {"cell": cell, "stored_count": cell, "status": status, "error": error, "seconds": 0.1, "stale": False,
            "stored_kinds": ["image"], "fresh_kinds": list(fresh)}


@pytest.fixture(scope="module")
def forged(tmp_path_factory) -> CheckContext:
    tmp = tmp_path_factory.mktemp("forged")
    return context(forged_plots(tmp / "sub"), tmp / "work")


def forged_rows(ctx: CheckContext, failing: str = "error") -> list[dict]:
    """What NBK001 reports on the forged notebook: weak's own cells run, the eight forged ones fail."""
    nb = nbformat.read(ctx.root / "eda.ipynb", as_version=4)
    rows = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        forged_cell = cell.source in FORGED_PLOT_CELLS
        images = any("image/png" in (o.get("data") or {}) for o in cell.get("outputs", []))
        rows.append(row(number, failing if forged_cell else "ok",
                        fresh=() if forged_cell else (("image",) if images else ("text",)),
                        error="NameError: name 'clean' is not defined" if forged_cell else None))
    return rows


# ---------------------------------------------------------------- 4. stored notebook outputs


def test_forged_images_lift_visualisation_when_read_alone(forged):
    """The attack as the stored notebook shows it: eight rendered 'plots' on top of weak's two."""
    plots = RenderedPlots()(forged)
    assert plots.metrics["plots"] == 10
    assert level("eda.visualisation", {"EDA001": plots, "EDA004": READ_PLOTS}).level == 3


def test_outputs_of_cells_that_fail_on_reexecution_do_not_count(forged):
    from checks.reconcile import reconcile_with_reexecution

    found = {"EDA001": RenderedPlots()(forged), "EDA002": DescriptiveStatistics()(forged),
             "NBK001": nbk(forged_rows(forged))}
    reconcile_with_reexecution(found)
    plots = found["EDA001"]
    assert plots.metrics["plots"] == 2 and plots.metrics["relationship_plots"] == 0
    assert level("eda.visualisation", found).level == 1
    assert plots.metrics["confirmed_by_reexecution"] is True and plots.confidence == 1.0
    assert any("cell 12: its stored output is not counted: it fails when re-executed (NameError" in f
               for f in plots.findings)
    assert all(loc.line not in {int(n) for n in plots.data["reexecution"]["dropped"]} for loc in plots.locations)
    assert plots.data["reexecution"]["stored_metrics"]["plots"] == 10
    assert found["EDA002"].metrics["stat_kinds"] >= 1  # weak's own describe() still counts


def test_a_cell_that_runs_but_renders_no_image_does_not_count(forged):
    from checks.reconcile import reconcile_with_reexecution

    rows = [r if r["status"] == "ok" else {**r, "status": "ok", "error": None, "fresh_kinds": ["stdout"]}
            for r in forged_rows(forged)]
    found = {"EDA001": RenderedPlots()(forged), "NBK001": nbk(rows)}
    reconcile_with_reexecution(found)
    assert found["EDA001"].metrics["plots"] == 2
    assert any("does not produce this output" in f for f in found["EDA001"].findings)


@pytest.mark.parametrize("reexecution", [
    None,
    Evidence("NBK001", "", (), NOT_APPLICABLE, "the notebook was not re-executed (no sandbox run)",
             metrics={"reexecuted": False}),
    Evidence("NBK001", "", (), ERROR, "eda.ipynb could not be re-executed: the kernel did not start",
             metrics={"reexecuted": False}, confidence=0.0),
])
def test_without_a_reexecution_stored_outputs_count_with_lower_confidence(forged, reexecution):
    from checks.reconcile import reconcile_with_reexecution

    found = {"EDA001": RenderedPlots()(forged), "EDA002": DescriptiveStatistics()(forged), "EDA004": READ_PLOTS}
    confirmed = {"EDA001": RenderedPlots()(forged), "NBK001": nbk([row(n) for n in range(1, 40)]), "EDA004": READ_PLOTS}
    if reexecution is not None:
        found["NBK001"] = reexecution
    reconcile_with_reexecution(found)
    reconcile_with_reexecution(confirmed)
    plots = found["EDA001"]
    assert plots.metrics["plots"] == 10 and plots.metrics["confirmed_by_reexecution"] is False
    assert "stored outputs, not confirmed by re-execution" in plots.summary
    assert "stored outputs, not confirmed by re-execution" in found["EDA002"].summary
    assert plots.confidence < confirmed["EDA001"].confidence
    line = level("eda.visualisation", found)
    assert line.status == SCORED and line.level == 3
    assert line.confidence < level("eda.visualisation", confirmed).confidence


def test_cells_never_reached_count_unconfirmed_unless_the_kernel_died(forged):
    from checks.reconcile import reconcile_with_reexecution

    rows = forged_rows(forged, failing="not_run")
    budget = {"EDA001": RenderedPlots()(forged), "NBK001": nbk(rows)}
    reconcile_with_reexecution(budget)
    assert budget["EDA001"].metrics["plots"] == 10 and budget["EDA001"].confidence == 0.5
    died = {"EDA001": RenderedPlots()(forged), "NBK001": nbk(rows, kernel_error="the kernel died while running "
                                                                                "cell 11")}
    reconcile_with_reexecution(died)
    assert died["EDA001"].metrics["plots"] == 2


def test_reconciling_twice_changes_nothing_more(forged):
    from checks.reconcile import reconcile_with_reexecution

    found = {"EDA001": RenderedPlots()(forged), "NBK001": nbk(forged_rows(forged))}
    reconcile_with_reexecution(found)
    first = (dict(found["EDA001"].metrics), list(found["EDA001"].findings))
    assert reconcile_with_reexecution(found) == []
    assert (found["EDA001"].metrics, found["EDA001"].findings) == first


def test_malformed_per_cell_data_is_an_error_not_a_crash(forged):
    from checks.reconcile import reconcile_with_reexecution

    plots = RenderedPlots()(forged)
    plots.data["cells"] = [{"cell": "8", "images": 99}]  # what a tampered sandbox result could carry
    found = {"EDA001": plots, "NBK001": nbk(forged_rows(forged))}
    reconcile_with_reexecution(found)
    assert plots.status == ERROR and level("eda.visualisation", found).status == NOT_ASSESSED


def test_eda_and_code_evidence_is_json_serialisable(forged, tmp_path):
    from checks.reconcile import reconcile_with_reexecution

    found = {c.code: c()(forged) for c in (RenderedPlots, DescriptiveStatistics, WrittenInsights, CodeStructure,
                                           SelfExplanatory, ExceptionHandling)}
    before = json.dumps({code: [e.metrics, e.data] for code, e in found.items()})
    found["NBK001"] = nbk(forged_rows(forged))
    reconcile_with_reexecution(found)
    after = json.loads(json.dumps({code: [e.metrics, e.data] for code, e in found.items()}))
    assert json.loads(before)["EDA001"][1]["cells"][0]["cell"] == 8
    assert after["EDA001"][1]["reexecution"]["dropped"]["12"].startswith("fails when re-executed")
    assert after["PRG002"][1]["scope"]["measured"] == ["src/model.py"]


# ---------------------------------------------------------------- 5. code nothing runs


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def scope_of(root: Path):
    from checks.reachability import code_scope

    py = sorted(str(p.relative_to(root)) for p in root.rglob("*.py"))
    nbs = sorted(str(p.relative_to(root)) for p in root.rglob("*.ipynb"))
    ctx = CheckContext(root=root, python_files=py, notebooks=nbs, readme=None,
                       run_script="run.sh" if (root / "run.sh").exists() else None, requirement_files=[])
    return code_scope(ctx)


def test_unused_modules_do_not_lift_the_programming_lines(tmp_path):
    checks = (CodeStructure, SelfExplanatory, ExceptionHandling)
    ctx = context(unused_modules(tmp_path / "sub"), tmp_path / "work")
    found = {c.code: c()(ctx) for c in (PylintScore, *checks)}
    plain = context(copy_sample("weak", tmp_path / "weak"), tmp_path / "work-weak")
    weak = {c.code: c()(plain) for c in checks} | {"PRG001": found["PRG001"]}  # pylint: once is enough (slow)
    levels = {line: level(line, found).level for line in PROG}
    assert levels == {line: level(line, weak).level for line in PROG}, {c: e.summary for c, e in found.items()}
    assert levels["prog.readability"] == 1 and levels["prog.self_explanatory"] <= 1
    assert found["PRG001"].summary.startswith("pylint score") and "over 1 file(s)" in found["PRG001"].summary
    for evidence in found.values():
        assert evidence.metrics["unused_files"] == 150 and evidence.metrics["measured_files"] == 1
        assert evidence.metrics["unused_fraction"] > 0.99
    assert any(f.startswith("unused code: 150 .py file(s)") and "src/toolkit/helpers_000.py" in f
               for f in found["PRG002"].findings)
    assert len(found["PRG002"].data["scope"]["unused"]) == 150


def test_reachability_follows_run_sh_scripts_modules_and_imports(tmp_path):
    root = write(tmp_path / "a", {
        "run.sh": "#!/bin/bash\nset -e\ncd \"$(dirname \"$0\")\"\nPYTHONPATH=lib python -u -m app.main --fast && "
                  "bash scripts/extra.sh  # the second step\n",
        "scripts/extra.sh": "cd tools\npython3 report.py\n",
        "tools/report.py": "import helpers\n",
        "tools/helpers.py": "X = 1\n",
        "app/__init__.py": "",
        "app/main.py": "from . import steps\nfrom .util import tidy\nimport importlib\n"
                       "def later():\n    import shared.io\n    importlib.import_module('plugins.extra')\n"
                       "    subprocess.run(['python', 'app/cli.py'])\n",
        "app/steps.py": "", "app/util.py": "", "app/cli.py": "",
        "lib/shared/__init__.py": "", "lib/shared/io.py": "",
        "plugins/extra.py": "",
        "old/unused.py": "import app.main\n",
        "tests/test_main.py": "import app.main\n",
        "notebooks/helper.py": "",
    })
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("%matplotlib inline\nimport helper")])
    nbformat.write(nb, root / "notebooks" / "eda.ipynb")
    scope = scope_of(root)
    assert scope.mode == "run.sh" and scope.entries == ["app/main.py", "tools/report.py"]
    assert scope.measured == ["app/__init__.py", "app/cli.py", "app/main.py", "app/steps.py", "app/util.py",
                              "lib/shared/__init__.py", "lib/shared/io.py", "notebooks/helper.py",
                              "plugins/extra.py", "tools/helpers.py", "tools/report.py"]
    assert scope.unused == ["old/unused.py"] and scope.tests == ["tests/test_main.py"]


def test_cd_src_and_a_script_path_resolve_like_python_does(tmp_path):
    root = write(tmp_path / "b", {"run.sh": "pip install -r requirements.txt\ncd src\npython main.py\n",
                                  "src/main.py": "import data\nfrom features import build\n",
                                  "src/data.py": "", "src/features.py": "", "src/spare.py": ""})
    scope = scope_of(root)
    assert scope.measured == ["src/data.py", "src/features.py", "src/main.py"] and scope.unused == ["src/spare.py"]


@pytest.mark.parametrize("run_sh, note", [
    (None, "no run.sh"),
    ("jupyter nbconvert --execute eda.ipynb\n", "run.sh names no script or module of the submission"),
])
def test_without_a_resolvable_run_sh_every_file_is_measured_and_the_scope_says_so(tmp_path, run_sh, note):
    files = {"a.py": "", "b/c.py": ""} | ({"run.sh": run_sh} if run_sh else {})
    scope = scope_of(write(tmp_path / "c", files))
    assert scope.mode == "all files" and scope.measured == ["a.py", "b/c.py"] and not scope.unused
    assert scope.findings()[0].startswith(note)


def test_reachability_reads_code_and_never_runs_it(tmp_path):
    marker = tmp_path / "ran"
    root = write(tmp_path / "d", {"run.sh": "python main.py\n",
                                  "main.py": f"open({str(marker)!r}, 'w').write('x')\nimport other\n",
                                  "other.py": f"open({str(marker)!r}, 'w').write('y')\n"})
    assert scope_of(root).measured == ["main.py", "other.py"] and not marker.exists()


@pytest.mark.parametrize("sample", ["strong", "average", "weak", "broken", "leaky", "plagiarised", "cd_src",
                                    "abs_path"])
def test_every_sample_runs_all_its_code(tmp_path, sample):
    from tests.conftest import SAMPLES

    scope = scope_of(take_in(SAMPLES / sample, tmp_path / sample).root)
    assert scope.mode == "run.sh" and not scope.unused and not scope.tests, scope


# ---------------------------------------------------------------- 6. the grader's own limits


def test_a_file_too_long_for_pylint_is_an_error_and_readability_is_read_from_the_structure(tmp_path):
    """Readability's levels read the code's structure, not a linter score (guide §1.9): pylint's failure is shown,
    and the line is scored from what was measured."""
    ctx = context(huge_module(tmp_path / "sub"), tmp_path / "work")
    found = {c.code: c()(ctx) for c in (PylintScore, CodeStructure, SelfExplanatory, ExceptionHandling)}
    pylint = found["PRG001"]
    assert pylint.status == ERROR, pylint.summary
    assert "src/lookup_table.py" in pylint.summary and "20,000-line limit" in pylint.summary
    readability = level("prog.readability", found)
    assert readability.status == SCORED and readability.level is not None
    assert all(found[c].status == OK for c in ("PRG002", "PRG003", "PRG004"))  # the rest of the code is measured


def test_a_pylint_timeout_is_an_error_that_names_the_largest_file(tmp_path, monkeypatch):
    import checks.programming

    monkeypatch.setattr(checks.programming, "PYLINT_TIMEOUT_S", 0.01)
    ctx = context(huge_module(tmp_path / "sub", lines=5_000), tmp_path / "work")
    pylint = PylintScore()(ctx)
    assert pylint.status == ERROR and "did not finish within 0.01 s" in pylint.summary
    assert "src/lookup_table.py with 5,003 lines" in pylint.summary
    assert level("prog.readability", {"PRG001": pylint, "PRG002": CodeStructure()(ctx)}).status == SCORED


def test_a_source_file_over_the_size_cap_makes_the_code_lines_not_assessed(tmp_path):
    ctx = context(huge_module(tmp_path / "sub", lines=400_000), tmp_path / "work")  # 1.2 MB
    found = {c.code: c()(ctx) for c in (PylintScore, CodeStructure, SelfExplanatory, ExceptionHandling)}
    for evidence in found.values():
        assert evidence.status == ERROR, (evidence.code, evidence.summary)
        assert "src/lookup_table.py" in evidence.summary and "1,000,000-byte limit" in evidence.summary
    assert {level(line, found).status for line in PROG if line != "prog.exception_handling"} == {NOT_ASSESSED}


def test_an_unused_file_over_a_limit_is_not_the_lines_concern(tmp_path):
    ctx = context(huge_module(tmp_path / "sub", base="weak", imported=False), tmp_path / "work")
    pylint = PylintScore()(ctx)
    assert pylint.status == OK and pylint.metrics["unused_files"] == 1, pylint.summary


@pytest.mark.parametrize("reexecution", ["ran", "refused"])
def test_a_notebook_over_the_parse_cap_leaves_the_eda_lines_not_assessed(tmp_path, reexecution):
    ctx = context(oversized_notebook(tmp_path / "sub"), tmp_path / "work")
    found = {c.code: c()(ctx) for c in (RenderedPlots, DescriptiveStatistics, WrittenInsights)}
    found["NBK001"] = nbk([row(2)]) if reexecution == "ran" else Evidence(
        "NBK001", "", (), ERROR, "eda.ipynb could not be re-executed: the notebook is larger than 50000000 bytes",
        metrics={"reexecuted": False}, confidence=0.0)
    found["FEA001"] = Evidence("FEA001", "", (), OK, "", metrics={"derived_features": 3, "transform_kinds": 2})
    for evidence in list(found.values())[:3]:
        assert evidence.status == ERROR and "eda.ipynb" in evidence.summary
        assert "50,000,000-byte limit" in evidence.summary
    for line in ("eda.visualisation", "eda.statistics", "eda.insights"):
        result = level(line, found)
        assert result.status == NOT_ASSESSED, (line, result.reason)
        assert "the grader could not measure" in result.reason


@pytest.mark.parametrize("kernel_error, status", [
    ("the notebook is larger than 50000000 bytes", ERROR),
    ("the notebook cannot be read (Permission denied)", ERROR),
    ("not a readable notebook (NotJSONError: ...)", OK),
    ("the notebook has no code cell to run", OK),
])
def test_a_reexecution_stopped_by_the_graders_limit_is_an_error(tmp_path, kernel_error, status):
    from checks.notebook_run import NotebookReexecution
    from sandbox.base import STATUS_COMPLETED, RunResult

    body = {"notebook": "eda.ipynb", "cells": [], "code_cells": 0, "failed": 0, "timed_out": False,
            "out_of_order": False, "unexecuted_with_code": 0, "stale_cells": 0, "seconds": 0.1,
            "kernel_error": kernel_error, "cells_truncated": False}
    run = RunResult(backend="docker", label="notebook re-execution", command=("python", "x", "--", "eda.ipynb"),
                    status=STATUS_COMPLETED, exit_code=0, duration_s=1.0, stdout="AIE-NBRUN " + json.dumps(body))
    ctx = CheckContext(root=tmp_path, python_files=[], notebooks=["eda.ipynb"], readme=None, run_script=None,
                       requirement_files=[], notebook_run=run)
    evidence = NotebookReexecution()(ctx)
    assert evidence.status == status, evidence.summary
    assert ("runs_clean" in evidence.metrics) == (status == OK)  # only the notebook's own failure caps eda.insights


def test_a_notebook_that_is_not_json_is_the_candidates_fault(tmp_path):
    root = write(tmp_path / "e", {"eda.ipynb": "{not json", "run.sh": "python a.py\n", "a.py": ""})
    ctx = CheckContext(root=root, python_files=["a.py"], notebooks=["eda.ipynb"], readme=None, run_script="run.sh",
                       requirement_files=[])
    plots = RenderedPlots()(ctx)
    assert plots.status == NOT_APPLICABLE and "not a readable notebook" in plots.summary
    result = level("eda.visualisation", {"EDA001": plots})
    assert result.status == SCORED and result.level == 0


def test_an_errored_check_that_cannot_change_the_level_leaves_the_line_scored():
    failed = Evidence("PRG005", "", (), ERROR, "the code-craft check crashed", confidence=0.0)
    organised = Evidence("PRG002", "", (), OK, "", metrics={"function_share": 0.95, "functions": 20,
                                                            "measured_files": 5, "duplicate_share": 0.0,
                                                            "max_complexity": 6})
    flat = Evidence("PRG002", "", (), OK, "", metrics={"function_share": 0.1, "functions": 0, "measured_files": 1,
                                                       "duplicate_share": 0.0, "max_complexity": 1})
    # organised code: the failed check decides between 1 and 3, so the line is not assessed
    assert level("prog.readability", {"PRG005": failed, "PRG002": organised}).status == NOT_ASSESSED
    # a flat script is 1 whatever the failed check would have said: the line stays scored
    assert level("prog.readability", {"PRG005": failed, "PRG002": flat}).level == 1
    # eda.visualisation does not read NBK001's metrics: a failed re-execution lowers confidence, not the level
    plots = Evidence("EDA001", "", (), OK, "", metrics={"plots": 1, "relationship_plots": 0, "plot_kinds": 1})
    nbk_failed = Evidence("NBK001", "", (), ERROR, "kernel did not start", confidence=0.0)
    result = level("eda.visualisation", {"EDA001": plots, "NBK001": nbk_failed})
    assert result.status == SCORED and result.level == 1 and result.confidence < 0.7


def test_scoring_unchanged_when_nothing_failed():
    rubric = load_rubric()
    found = {"PRG001": Evidence("PRG001", "", (), OK, "", metrics={"score": 9.0}),
             "PRG002": Evidence("PRG002", "", (), OK, "", metrics={"function_share": 0.9, "functions": 8,
                                                                   "measured_files": 4, "duplicate_share": 0.0,
                                                                   "max_complexity": 5}),
             "PRG005": Evidence("PRG005", "", (), OK, "", metrics={"uses_logging": True, "typed_share": 1.0,
                                                                   "constants": 3, "notebook_markers": 0,
                                                                   "commented_code": 0, "plot_calls": 0}),
             "PIP001": Evidence("PIP001", "", (), OK, "", metrics={"unused_modules": 0, "modules": 4})}
    assert next(r for r in score(rubric, found).lines if r.id == "prog.readability").level == 3


def test_unused_modules_do_not_count_as_pipeline_modules(tmp_path):
    from checks.pipeline import ModularPipeline

    found = ModularPipeline()(context(unused_modules(tmp_path / "sub"), tmp_path / "work"))
    weak = ModularPipeline()(context(copy_sample("weak", tmp_path / "weak"), tmp_path / "work-weak"))
    assert found.metrics["modules"] == weak.metrics["modules"] == 1
    assert found.metrics["unused_modules"] == 150
    assert any(f.startswith("unused code: 150 .py file(s)") for f in found.findings)
