"""End to end in Docker: the three walking-skeleton samples graded through the CLI."""

from __future__ import annotations

import pytest

from sandbox.docker_backend import RUN_LABEL

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def reports(sample_reports):
    return sample_reports


def level(report, line_id):
    return next(line["level"] for line in report["lines"] if line["id"] == line_id)


def test_every_sample_is_graded(reports):
    for report in reports.values():
        assert report["status"] == "graded"
        assert len(report["lines"]) == 20
        assert report["runs"][0]["backend"] == "docker"


def test_strong_beats_weak(reports):
    assert reports["strong"]["score"]["points"] > reports["weak"]["score"]["points"]
    assert reports["strong"]["score"]["passed"] and not reports["weak"]["score"]["passed"]


def test_strong_heldout_against_baselines(reports):
    held = reports["strong"]["heldout"]
    assert held["valid"]
    f1 = held["metrics"]["f1"]
    assert f1 > held["baselines"]["always_positive"]["f1"] + 0.15
    assert f1 >= 0.9 * held["baselines"]["reference"]["f1"]
    assert held["baselines"]["majority_class"]["f1"] == 0.0
    assert "roc_auc" in held["metrics"]
    assert reports["strong"]["runs"][0]["status"] == "completed"


def test_weak_honours_the_contract_but_scores_low(reports):
    held = reports["weak"]["heldout"]
    assert held["valid"] and "roc_auc" not in held["metrics"]
    assert held["metrics"]["f1"] < reports["strong"]["heldout"]["metrics"]["f1"]
    assert level(reports["weak"], "model.metrics") <= 1  # accuracy alone


def test_broken_is_a_failed_pipeline_with_its_error(reports):
    broken = reports["broken"]
    run = broken["runs"][0]
    assert run["status"] == "failed" and run["exit_code"] != 0
    assert "ValueError" in run["stderr_tail"] and "Traceback" in run["stderr_tail"]
    assert "pipeline_failed" in broken["flags"] and "heldout_not_scored" in broken["flags"]
    assert "was not written" in broken["heldout"]["problems"][0]
    assert level(broken, "pipeline.design") <= 1
    assert not broken["score"]["passed"]


def test_no_container_is_left_behind(reports, docker_sandbox):
    assert docker_sandbox._docker().containers.list(all=True, filters={"label": RUN_LABEL}) == []
