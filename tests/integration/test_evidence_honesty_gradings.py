"""Evidence that is not real must not lift a level, in real gradings (issue 13, 4 and 6): forged notebook images
graded in Docker, and a source file over the size cap graded statically."""

from __future__ import annotations

import pytest

from checks.base import OK
from grader.rubric import NOT_ASSESSED, SCORED
from tests.honesty_fixtures import forged_plots, huge_module


@pytest.mark.docker
def test_forged_images_do_not_lift_visualisation_in_a_real_grading(tmp_path, docker_sandbox, mock_pack):
    from grader.grade import grade
    from grader.run.dynamic import DynamicOptions

    grading = grade(forged_plots(tmp_path / "sub"), mock_pack, docker_sandbox,
                    options=DynamicOptions(probes=False, install_requirements=False))
    lines = {line.id: line for line in grading.score.lines}
    plots = next(e for e in grading.evidence if e.code == "EDA001")
    rerun = next(e for e in grading.evidence if e.code == "NBK001")
    assert rerun.status == OK and rerun.metrics["failed_cells"] == 8, rerun.summary
    assert lines["eda.visualisation"].level == 1, (lines["eda.visualisation"].reason, plots.summary)
    assert plots.metrics["plots"] == 2 and len(plots.data["reexecution"]["dropped"]) == 8
    shown = {plot["cell"] for plot in grading.plots}  # report.html shows only plots the re-execution reproduced
    assert shown and not shown & {int(n) for n in plots.data["reexecution"]["dropped"]}


def test_the_report_flags_lines_the_grader_could_not_measure(tmp_path, mock_pack):
    from grader.grade import grade
    from grader.reports.report import to_dict

    report = to_dict(grade(huge_module(tmp_path / "sub", lines=400_000), mock_pack, None))  # over the size cap
    lines = {line["id"]: line for line in report["lines"]}
    assert lines["prog.readability"]["status"] == NOT_ASSESSED
    assert "src/lookup_table.py" in lines["prog.readability"]["reason"]
    assert "lines_not_assessed" in report["flags"]
    assert lines["eda.visualisation"]["status"] == SCORED

